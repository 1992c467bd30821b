import type { EngagedTeam } from '../../escalation/escalation-repo.js';
import { type Incident, SEVERITY_LEVELS } from '../../incidents/incident-types.js';
import { ActionId, acknowledgeValue, BlockId, escalateValue } from '../ids.js';
import { mrkdwn, mrkdwnFit } from './escape.js';
import { channelMention, slackDate } from './format.js';
import type { SlackMessage } from './incident-headline.js';

export interface PageDetails {
  level: number;
  pass: number;
  via: string;
  epoch: number;
  /** The escalation that paged: the buttons act on it, not on another team's paging of the incident. */
  escalationId?: number;
  /** Set when the page is another team's, paged into the incident: who asked, and why. */
  team?: EngagedTeam | null;
}

/** The DM that pages someone: what broke, how bad, where to go, and the two buttons. */
export function buildPageMessage(incident: Incident, page: PageDetails): SlackMessage {
  const level = SEVERITY_LEVELS[incident.severity];
  const how =
    page.via === 'user'
      ? 'you are named in the escalation policy'
      : `you are on call (${mrkdwnFit(page.via.replace('schedule:', ''), 200)})`;
  return {
    text: `:pager: You are paged for incident #${incident.number} (${incident.severity}): ${mrkdwn(incident.title)}`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: [
            `:pager: *You are paged for incident #${incident.number}: ${mrkdwnFit(incident.title, 1000)}*`,
            `${incident.severity} · ${level.name} · respond within ${level.respondWithin} · ${channelMention(incident.channelId, incident.channelName)}`,
            page.level < 1
              ? 'Paged by hand from the incident channel.'
              : `Level ${page.level}${page.pass > 1 ? `, pass ${page.pass}` : ''}: ${how}.`,
            ...(page.team ? [teamLine(page.team)] : []),
          ].join('\n'),
        },
      },
      {
        type: 'actions',
        block_id: BlockId.pageActions,
        elements: [
          {
            type: 'button',
            action_id: ActionId.acknowledgePage,
            text: { type: 'plain_text', text: 'Acknowledge' },
            style: 'primary',
            value: acknowledgeValue(incident.id, page.escalationId),
          },
          {
            type: 'button',
            action_id: ActionId.escalateNow,
            text: { type: 'plain_text', text: 'Escalate now' },
            // The epoch the person saw: escalating acts only if nothing changed since.
            value: escalateValue(incident.id, page.epoch, page.escalationId),
          },
        ],
      },
    ],
  };
}

/** Another team's page says why that team was paged in, and by whom. */
function teamLine(team: EngagedTeam): string {
  const why = team.reason ? `: ${mrkdwnFit(team.reason, 500)}` : '';
  return `*${mrkdwnFit(team.service, 100)}* was paged into this incident by <@${team.by}>${why}`;
}

/** What every page DM of an escalation becomes once someone acknowledged it. */
export function buildPageAcknowledgedMessage(
  incident: Incident,
  by: string,
  at: Date,
  team: EngagedTeam | null = null,
): SlackMessage {
  const what = team ? `The page for ${mrkdwnFit(team.service, 100)} in incident` : 'Incident';
  const text = `:white_check_mark: ${what} #${incident.number} (${mrkdwnFit(incident.title, 1000)}) was acknowledged by <@${by}> at ${slackDate(at, '{time}')}.`;
  return {
    text: `${what} #${incident.number} was acknowledged by <@${by}>`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Join ${channelMention(incident.channelId, incident.channelName)} to help.`,
          },
        ],
      },
    ],
  };
}
