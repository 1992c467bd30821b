import type { KnownBlock } from '@slack/types';
import type { Incident } from '../../incidents/incident-types.js';
import type { TimelineEvent } from '../../timeline/timeline-events.js';
import { slackDate, truncate } from './format.js';
import type { SlackMessage } from './incident-headline.js';

export const TIMELINE_PAGE_SIZE = 25;

/** One line per event, in words a responder would write in a postmortem. */
export function describeEvent(event: TimelineEvent): string {
  const by = event.actorId ? ` by <@${event.actorId}>` : '';
  switch (event.kind) {
    case 'incident.declared':
      return `Declared${by} as ${event.details.severity}: ${event.details.title}`;
    case 'incident.channel_created':
      return `Channel <#${event.details.channelId}> created`;
    case 'incident.setup_step_failed':
      return `Set-up step "${event.details.step}" failed: ${event.details.error}`;
    case 'incident.status_changed':
      return `Status ${event.details.from} → *${event.details.to}*${by}`;
    case 'incident.severity_changed':
      return `Severity ${event.details.from} → *${event.details.to}*${by}`;
    case 'incident.role_assigned':
      return `<@${event.details.userId}> is ${event.details.role}${by}`;
    case 'incident.update_posted':
      return `Update${by}: ${truncate(event.details.text, 300)}`;
    case 'incident.note_added':
      return `Note${by}: ${truncate(event.details.text, 300)}`;
    case 'incident.followup_added':
      return `Follow-up${by}: ${truncate(event.details.text, 200)}${event.details.ownerId ? ` (owner <@${event.details.ownerId}>)` : ''}${event.details.due ? `, due ${event.details.due}` : ''}`;
    case 'incident.reopened':
      return `Reopened${by}`;
    case 'incident.closed':
      return `Closed${by}${event.details.resolution ? `: ${truncate(event.details.resolution, 300)}` : ''}`;
    case 'timeline.message_added':
      return `${event.details.authorId ? `<@${event.details.authorId}>` : 'Message'}: ${truncate(event.details.text, 300)}${event.details.permalink ? ` (<${event.details.permalink}|message>)` : ''}`;
    case 'reminder.sent':
      return `Reminder: no update for ${event.details.overdueMinutes} min`;
    case 'reminder.snoozed':
      return `Update reminder snoozed for ${event.details.minutes} min${by}`;
    case 'escalation.started':
      return `Paging started (policy "${event.details.policy}")`;
    case 'escalation.paged':
      return `Paged ${event.details.targets.map((t) => (/^[UW][A-Z0-9]+$/.test(t.target) ? `<@${t.target}>` : t.target)).join(', ')}${event.details.level > 0 ? ` (level ${event.details.level})` : ' by hand'}${by}`;
    case 'escalation.level_skipped':
      return `Level ${event.details.level} skipped: ${event.details.reason}`;
    case 'escalation.acknowledged':
      return `Page acknowledged by <@${event.details.by}>`;
    case 'escalation.escalated':
      return event.details.reason === 'ack_timeout'
        ? 'Paging again: acknowledged but not resolved in time'
        : `Escalated${by}`;
    case 'escalation.exhausted':
      return `Nobody acknowledged after ${event.details.passes} pass(es)`;
    case 'escalation.stopped':
      return `Paging stopped (${event.details.reason})`;
    case 'escalation.page_failed':
      return `Could not page ${event.details.target}: ${event.details.error}`;
  }
}

/** `/incident timeline`: the events so far, a page at a time, times in the viewer's own zone. */
export function buildTimelineMessage(
  incident: Incident,
  events: TimelineEvent[],
  page: number,
): SlackMessage {
  const pages = Math.max(1, Math.ceil(events.length / TIMELINE_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const slice = events.slice((current - 1) * TIMELINE_PAGE_SIZE, current * TIMELINE_PAGE_SIZE);
  const lines = slice.map((e) => `${slackDate(e.occurredAt, '{date_short} {time}')} — ${describeEvent(e)}`);
  const header = `*Timeline of incident #${incident.number}* (${events.length} event${events.length === 1 ? '' : 's'}; page ${current} of ${pages})`;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: header } }];
  // Sections hold 3000 characters: split the lines over several.
  let chunk: string[] = [];
  for (const line of lines) {
    if ([...chunk, line].join('\n').length > 2900) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk.join('\n') } });
      chunk = [];
    }
    chunk.push(line);
  }
  if (chunk.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk.join('\n') } });
  if (current < pages) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `More: \`/incident timeline ${current + 1}\`` }],
    });
  }
  return { text: [header, ...lines].join('\n'), blocks };
}
