import type { KnownBlock } from '@slack/types';
import { type Incident, incidentReference, SEVERITY_LEVELS } from '../../incidents/incident-types.js';
import { HEADLINE_EVENT_TYPE } from '../ids.js';
import { escapeMrkdwn, slackDate, statusLabel, truncate, userMention } from './format.js';

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
  return `Incident #${incident.number} (${incident.severity}, ${incident.status}): ${incident.title}`;
}

/** The headline card pinned in the incident channel; edited in place as the incident changes. */
export function buildIncidentHeadline(incident: Incident): SlackMessage & { metadata: object } {
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
  if (incident.service) fields.push({ type: 'mrkdwn', text: `*Service*\n${escapeMrkdwn(incident.service)}` });
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(`Incident #${incident.number}: ${incident.title}`, 150),
        emoji: true,
      },
    },
    { type: 'section', fields },
  ];
  if (incident.summary) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*Summary*\n${escapeMrkdwn(truncate(incident.summary, 2900))}` },
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${incident.isPrivate ? ':lock: Private incident · ' : ''}Respond within ${level.respondWithin} · \`${incidentReference(incident)}\` · \`/incident help\` for commands`,
      },
    ],
  });
  return {
    text: headlineFallbackText(incident),
    blocks,
    metadata: { event_type: HEADLINE_EVENT_TYPE, event_payload: { incident_id: incident.id } },
  };
}

/** The topic line: what someone glancing at the channel header needs (Slack caps it at 250). */
export function buildIncidentTopic(incident: Incident): string {
  const commander = incident.commanderId ? `Commander: <@${incident.commanderId}>` : 'No commander yet';
  return truncate(`${incident.severity} · ${statusLabel(incident.status)} · ${commander}`, 250);
}
