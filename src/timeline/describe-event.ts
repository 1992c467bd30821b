import type { TimelineEvent } from './timeline-events.js';

/** How people, free text and channels are written: Slack mrkdwn in Slack, Markdown in the postmortem. */
export interface EventRenderer {
  person(userId: string | null): string;
  /** Text as a person typed it (stored plain): escaped for the target format. */
  text(text: string): string;
  /** A captured Slack message's text, in Slack's own escaped form (`<@U…>`, `&lt;`). */
  message(text: string): string;
  channel(channelId: string, channelName: string): string;
}

const ACK_VIA = { slack: 'in Slack', link: 'from the link', sms: 'by SMS', voice: 'on the call' } as const;

/** One line per timeline event, in the words a responder would write; shared by every view of it. */
export function describeEvent(event: TimelineEvent, render: EventRenderer): string {
  const { person: name, text: plain } = render;
  const by = event.actorId ? ` by ${name(event.actorId)}` : '';
  // A step's person: their Slack id once the page DM resolved it, else as oncall.yaml names them.
  const person = (d: { person: string; userId: string | null }) =>
    d.userId ? name(d.userId) : /^[UW][A-Z0-9]+$/.test(d.person) ? name(d.person) : plain(d.person);
  // Paging of another team paged into the incident says which team.
  const service = event.kind.startsWith('escalation.') && (event.details as { service?: string }).service;
  const team = service ? ` for ${plain(service)}` : '';
  switch (event.kind) {
    case 'incident.declared':
      return `Declared${by} as ${event.details.severity}: ${plain(event.details.title)}`;
    case 'incident.channel_created':
      return `Channel ${render.channel(event.details.channelId, event.details.channelName)} created`;
    case 'incident.setup_step_failed':
      return `Slack set-up step "${plain(event.details.step)}" failed: ${plain(event.details.error)}`;
    case 'incident.status_changed':
      return `Status ${event.details.from} → ${event.details.to}${by}`;
    case 'incident.severity_changed':
      return `Severity ${event.details.from} → ${event.details.to}${by}`;
    case 'incident.role_assigned':
      return `${name(event.details.userId)} is ${event.details.role}${by}`;
    case 'incident.update_posted':
      return `Update${by}: ${plain(event.details.text)}`;
    case 'incident.note_added':
      return `Note${by}: ${plain(event.details.text)}`;
    case 'incident.followup_added':
      return `Follow-up${by}: ${plain(event.details.text)}`;
    case 'incident.link_added':
      return `Link${by}: ${event.details.title ? `${plain(event.details.title)} ` : ''}${plain(event.details.url)}`;
    case 'incident.reopened':
      return `Reopened${by}`;
    case 'incident.closed':
      return `Closed${by}${event.details.resolution ? `: ${plain(event.details.resolution)}` : ''}`;
    case 'timeline.message_added':
      return `${name(event.details.authorId)} in the channel: ${render.message(event.details.text)}`;
    case 'reminder.sent':
      return `Reminder: no update for ${event.details.overdueMinutes} min`;
    case 'reminder.snoozed':
      return `Update reminder snoozed for ${event.details.minutes} min${by}`;
    case 'escalation.started':
      return event.details.service
        ? `${plain(event.details.service)} paged in${by}${event.details.reason ? `: ${plain(event.details.reason)}` : ''} (policy "${plain(event.details.policy)}")`
        : `Paging started (policy "${plain(event.details.policy)}")`;
    case 'escalation.paged':
      return `Paged ${event.details.targets.map((t) => (/^[UW][A-Z0-9]+$/.test(t.target) ? name(t.target) : plain(t.target))).join(', ')}${event.details.level > 0 ? ` (level ${event.details.level})` : ' by hand'}${team}`;
    case 'escalation.level_skipped':
      return `Level ${event.details.level} skipped${team}: ${plain(event.details.reason)}`;
    case 'escalation.acknowledged':
      return `Page${team} acknowledged by ${name(event.details.by)}${event.details.via ? ` (${ACK_VIA[event.details.via]})` : ''}`;
    case 'escalation.escalated':
      return event.details.reason === 'ack_timeout'
        ? `Paged again${team}: acknowledged but not resolved in time`
        : `Escalated${team}${by}`;
    case 'escalation.exhausted':
      return `Nobody acknowledged${team} after ${event.details.passes} pass(es)`;
    case 'escalation.stopped':
      return `Paging stopped${team} (${plain(event.details.reason)})`;
    case 'alert.linked':
      return `Alert linked${by}: ${plain(event.details.title)} (${plain(event.details.service)}, from ${plain(event.details.source)})`;
    case 'alert.triggered':
      return event.details.count === 1
        ? `Alert fired${by}: ${plain(event.details.title)} (${plain(event.details.service)})`
        : `Alert fired again${by}: ${plain(event.details.title)} (${event.details.count} times so far)`;
    case 'alert.acknowledged':
      return `Alert acknowledged${by}: ${plain(event.details.title)}`;
    case 'alert.resolved':
      return `Alert resolved${by}: ${plain(event.details.title)}`;
    case 'delivery.sent':
      return `Reached ${person(event.details)} by ${event.details.channel}`;
    case 'delivery.failed':
      return event.details.outcome === 'skipped'
        ? `Did not try ${person(event.details)} by ${event.details.channel}: ${plain(event.details.reason)}`
        : `Could not reach ${person(event.details)} by ${event.details.channel}: ${plain(event.details.reason)}`;
    case 'escalation.page_failed':
      return `Could not page ${plain(event.details.target)}: ${plain(event.details.error)}`;
  }
}
