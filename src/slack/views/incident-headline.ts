import type { KnownBlock } from '@slack/types';
import type { CardAlert } from '../../alerts/alert-card.js';
import { type Incident, incidentReference, SEVERITY_LEVELS } from '../../incidents/incident-types.js';
import { ActionId, acknowledgeValue, BlockId, escalateValue, HEADLINE_EVENT_TYPE } from '../ids.js';
import { cutTo, mrkdwn, mrkdwnFit, plainFit } from './escape.js';
import { formatDuration, linkTo, slackDate, statusLabel, userMention } from './format.js';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

const SEVERITY_EMOJI = {
  SEV1: ':red_circle:',
  SEV2: ':large_orange_circle:',
  SEV3: ':large_yellow_circle:',
  SEV4: ':white_circle:',
};

export function headlineFallbackText(incident: Incident): string {
  return `Incident #${incident.number} (${incident.severity}, ${incident.status}): ${mrkdwn(incident.title)}`;
}

type PagingState = 'triggered' | 'acknowledged' | 'resolved' | 'exhausted';

/**
 * What the card shows of paging: buttons while someone is being paged, who acknowledged after. With
 * other teams paged in, `teams` lists each (the incident's own service first) and the buttons act on
 * the escalation `escalationId` names (of the team `team`), else on the incident's own.
 */
export interface HeadlinePaging {
  state: PagingState;
  epoch: number;
  acknowledgedBy: string | null;
  escalationId?: number;
  team?: string;
  teams?: { service: string; state: PagingState | 'none'; acknowledgedBy: string | null }[];
}

/** At most this many teams are listed on the card (Slack caps a field at 2,000 characters). */
const MAX_TEAMS_SHOWN = 10;

function teamsField(teams: NonNullable<HeadlinePaging['teams']>): string {
  const line = (team: (typeof teams)[number]) => {
    const by = team.acknowledgedBy ? `acknowledged by <@${team.acknowledgedBy}>` : null;
    const state =
      team.state === 'triggered'
        ? ':pager: paging'
        : team.state === 'exhausted'
          ? ':warning: nobody acknowledged'
          : team.state === 'none'
            ? 'not paged'
            : by
              ? `:white_check_mark: ${by}`
              : 'stopped';
    return `${mrkdwnFit(team.service, 80)} · ${state}`;
  };
  const more = teams.length > MAX_TEAMS_SHOWN ? [`and ${teams.length - MAX_TEAMS_SHOWN} more`] : [];
  return `*Teams engaged*\n${[...teams.slice(0, MAX_TEAMS_SHOWN).map(line), ...more].join('\n')}`;
}

/** The headline card pinned in the incident channel; edited in place as the incident changes. */
/** Shown once an incident is resolved or closed. */
export interface HeadlineMetrics {
  timeToAcknowledgeMs: number | null;
  timeToResolveMs: number | null;
}

export function buildIncidentHeadline(
  incident: Incident,
  paging: HeadlinePaging | null = null,
  metrics: HeadlineMetrics | null = null,
  alert: CardAlert | null = null,
): SlackMessage & { metadata: object } {
  const level = SEVERITY_LEVELS[incident.severity];
  const fields = [
    {
      type: 'mrkdwn' as const,
      text: `*Severity*\n${SEVERITY_EMOJI[incident.severity]} ${incident.severity} · ${level.name}`,
    },
    { type: 'mrkdwn' as const, text: `*Status*\n${statusLabel(incident.status)}` },
    { type: 'mrkdwn' as const, text: `*Commander*\n${userMention(incident.commanderId)}` },
    { type: 'mrkdwn' as const, text: `*Reporter*\n${userMention(incident.reporterId)}` },
    { type: 'mrkdwn' as const, text: `*Started*\n${slackDate(incident.declaredAt)}` },
  ];
  if (incident.service)
    fields.push({ type: 'mrkdwn', text: `*Service*\n${mrkdwnFit(incident.service, 1990)}` });
  if (incident.runbookUrl)
    fields.push({ type: 'mrkdwn', text: `*Runbook*\n${linkTo(incident.runbookUrl, 'Open the runbook')}` });
  if (incident.commsId) fields.push({ type: 'mrkdwn', text: `*Comms*\n${userMention(incident.commsId)}` });
  if (incident.scribeId) fields.push({ type: 'mrkdwn', text: `*Scribe*\n${userMention(incident.scribeId)}` });
  if (paging?.teams) fields.push({ type: 'mrkdwn', text: teamsField(paging.teams) });
  else {
    if (paging?.state === 'triggered')
      fields.push({ type: 'mrkdwn', text: '*Paging*\n:pager: waiting for an ack' });
    if (paging?.acknowledgedBy && (paging.state === 'acknowledged' || paging.state === 'resolved')) {
      fields.push({ type: 'mrkdwn', text: `*Acknowledged by*\n<@${paging.acknowledgedBy}>` });
    }
    if (paging?.state === 'exhausted')
      fields.push({ type: 'mrkdwn', text: '*Paging*\n:warning: nobody acknowledged' });
  }
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: plainFit(`Incident #${incident.number}: ${incident.title}`, 150),
        emoji: true,
      },
    },
    { type: 'section', fields },
  ];
  if (alert) blocks.push(alertSection(alert));
  if (incident.summary) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*Summary*\n${mrkdwnFit(incident.summary, 2980)}` },
    });
  }
  if (incident.lastUpdateText && incident.lastUpdateAt) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Latest update* (${slackDate(incident.lastUpdateAt, '{time}')})\n${mrkdwnFit(incident.lastUpdateText, 2900)}`,
      },
    });
  }
  if (metrics && (incident.status === 'resolved' || incident.status === 'closed')) {
    const f = (ms: number | null) => (ms === null ? 'n/a' : formatDuration(ms));
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Time to acknowledge* ${f(metrics.timeToAcknowledgeMs)} · *Time to resolve* ${f(metrics.timeToResolveMs)}${incident.closedAt ? ` · closed ${slackDate(incident.closedAt)}` : ''}`,
      },
    });
  }
  blocks.push(headlineActions(incident, paging));
  // The response target matters while the incident is on; a resolved card does not nag.
  const ongoing = incident.status !== 'resolved' && incident.status !== 'closed';
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${incident.isPrivate ? ':lock: Private incident · ' : ''}${ongoing ? `Respond within ${level.respondWithin} · ` : ''}\`${incidentReference(incident)}\` · \`/incident help\` for commands`,
      },
    ],
  });
  return {
    text: headlineFallbackText(incident),
    blocks,
    metadata: { event_type: HEADLINE_EVENT_TYPE, event_payload: { incident_id: incident.id } },
  };
}

function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger') {
  return {
    type: 'button' as const,
    action_id: actionId,
    text: { type: 'plain_text' as const, text },
    value,
    ...(style ? { style } : {}),
  };
}

/** Buttons that open small modals; Acknowledge / Escalate now while someone is being paged. */
function headlineActions(incident: Incident, paging: HeadlinePaging | null): KnownBlock {
  const id = String(incident.id);
  const open = incident.status !== 'resolved' && incident.status !== 'closed';
  const elements = open
    ? [
        button(ActionId.headlineUpdate, 'Post update', id, 'primary'),
        button(ActionId.headlineStatus, 'Change status', id),
        button(ActionId.headlineSeverity, 'Change severity', id),
        button(ActionId.headlineRole, 'Assign role', id),
        {
          ...button(ActionId.headlineResolve, 'Resolve', id, 'danger'),
          confirm: {
            title: { type: 'plain_text' as const, text: 'Resolve this incident?' },
            text: {
              type: 'plain_text' as const,
              text: 'Paging and update reminders stop. You can reopen it later.',
            },
            confirm: { type: 'plain_text' as const, text: 'Resolve' },
            deny: { type: 'plain_text' as const, text: 'Not yet' },
          },
        },
      ]
    : incident.status === 'resolved'
      ? [
          // Resolved is the moment to write it up: closing asks for the narrative and drafts the postmortem.
          button(ActionId.headlineClose, 'Close & draft postmortem', id, 'primary'),
          button(ActionId.headlineUpdate, 'Post update', id),
          button(ActionId.headlineReopen, 'Reopen', id),
        ]
      : [button(ActionId.headlineUpdate, 'Post update', id), button(ActionId.headlineReopen, 'Reopen', id)];
  if (open && paging?.state === 'triggered') {
    const { escalationId, team } = paging;
    const label = (text: string) => (team ? plainFit(`${text} (${team})`, 75) : text);
    elements.push(
      button(
        ActionId.acknowledgePage,
        label('Acknowledge'),
        acknowledgeValue(incident.id, escalationId),
        'primary',
      ),
    );
    elements.push(
      button(
        ActionId.escalateNow,
        label('Escalate now'),
        escalateValue(incident.id, paging.epoch, escalationId),
      ),
    );
  }
  return { type: 'actions', block_id: BlockId.headlineActions, elements } as KnownBlock;
}

/** The topic line: what someone glancing at the channel header needs (Slack caps it at 250). */
export function buildIncidentTopic(incident: Incident): string {
  const commander = incident.commanderId ? `Commander: <@${incident.commanderId}>` : 'No commander yet';
  return cutTo(`${incident.severity} · ${statusLabel(incident.status)} · ${commander}`, 250);
}

/** The alerts the incident was declared from: title, service and their links, runbooks first. */
function alertSection(alert: CardAlert): KnownBlock {
  const count = alert.alerts > 1 ? ` (${alert.alerts} alerts)` : '';
  const head = `*Alert*${count} · ${mrkdwnFit(alert.service, 100)}\n${mrkdwnFit(alert.title, 1200)}`;
  const links: string[] = [];
  let room = 2900 - head.length;
  for (const link of alert.links) {
    // A label is the source's text: escaped, and no `|` that would end it early.
    const label = mrkdwnFit(link.text.replace(/\|/g, '/').replace(/\s+/g, ' ').trim() || 'Link', 60);
    const shown = linkTo(link.href, label);
    if (shown.length + 3 > room) break;
    room -= shown.length + 3;
    links.push(shown);
  }
  const text = links.length > 0 ? `${head}\n${links.join(' · ')}` : head;
  return { type: 'section', text: { type: 'mrkdwn', text } };
}
