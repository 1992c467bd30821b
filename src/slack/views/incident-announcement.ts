import { type Incident, SEVERITY_LEVELS } from '../../incidents/incident-types.js';
import { ActionId, BlockId } from '../ids.js';
import { mrkdwn, mrkdwnFit } from './escape.js';
import { channelMention, slackDate, statusLabel, userMention } from './format.js';
import type { SlackMessage } from './incident-headline.js';

/** The mirror of the headline in the announce channel, with a Join button. Never for private incidents. */
export function buildIncidentAnnouncement(incident: Incident): SlackMessage {
  const level = SEVERITY_LEVELS[incident.severity];
  return {
    text: `:rotating_light: Incident #${incident.number} declared (${incident.severity}): ${mrkdwn(incident.title)}`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: [
            `:rotating_light: *Incident #${incident.number}: ${mrkdwnFit(incident.title, 1000)}*`,
            `${incident.severity} · ${level.name} · ${statusLabel(incident.status)} · started ${slackDate(incident.declaredAt)}`,
            `Commander ${userMention(incident.commanderId)} · Reporter ${userMention(incident.reporterId)} · ${channelMention(incident.channelId, incident.channelName)}`,
            ...(incident.lastUpdateText && incident.lastUpdateAt
              ? [
                  `*Latest update* (${slackDate(incident.lastUpdateAt, '{time}')}): ${mrkdwnFit(incident.lastUpdateText, 500)}`,
                ]
              : []),
          ].join('\n'),
        },
      },
      {
        type: 'actions',
        block_id: BlockId.announceActions,
        elements: [
          {
            type: 'button',
            action_id: ActionId.joinIncident,
            text: { type: 'plain_text', text: 'Join incident channel' },
            value: String(incident.id),
            style: 'primary',
          },
        ],
      },
    ],
  };
}
