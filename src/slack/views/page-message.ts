import { type Incident, SEVERITY_LEVELS } from '../../incidents/incident-types.js';
import { ActionId, BlockId } from '../ids.js';
import { mrkdwn, mrkdwnFit } from './escape.js';
import { channelMention, slackDate } from './format.js';
import type { SlackMessage } from './incident-headline.js';

export interface PageDetails {
  level: number;
  pass: number;
  via: string;
  epoch: number;
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
            value: String(incident.id),
          },
          {
            type: 'button',
            action_id: ActionId.escalateNow,
            text: { type: 'plain_text', text: 'Escalate now' },
            // The epoch the person saw: escalating acts only if nothing changed since.
            value: `${incident.id}-${page.epoch}`,
          },
        ],
      },
    ],
  };
}

/** What every page DM of an incident becomes once someone acknowledged. */
export function buildPageAcknowledgedMessage(incident: Incident, by: string, at: Date): SlackMessage {
  const text = `:white_check_mark: Incident #${incident.number} (${mrkdwnFit(incident.title, 1000)}) was acknowledged by <@${by}> at ${slackDate(at, '{time}')}.`;
  return {
    text: `Incident #${incident.number} was acknowledged by <@${by}>`,
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
