import type { KnownBlock } from '@slack/types';
import type { Incident } from '../../incidents/incident-types.js';
import { channelMention, escapeMrkdwn, formatDuration, statusLabel, truncate } from './format.js';
import type { SlackMessage } from './incident-headline.js';

const MAX_LISTED = 20;

/** `/incident list`: open incidents, newest first, with their channel and age. */
export function buildIncidentList(incidents: Incident[], now: Date): SlackMessage {
  if (incidents.length === 0) {
    return {
      text: 'No open incidents. :white_check_mark:',
      blocks: [section('No open incidents. :white_check_mark:')],
    };
  }
  const shown = incidents.slice(0, MAX_LISTED);
  const lines = shown.map((incident) => {
    const age = formatDuration(now.getTime() - incident.declaredAt.getTime());
    const lock = incident.isPrivate ? ':lock: ' : '';
    return `${lock}*#${incident.number}* ${escapeMrkdwn(truncate(incident.title, 80))} — ${incident.severity} · ${statusLabel(incident.status)} · ${age} · ${channelMention(incident.channelId, incident.channelName)}`;
  });
  const more = incidents.length - shown.length;
  const blocks: KnownBlock[] = [section(`*Open incidents (${incidents.length})*`), section(lines.join('\n'))];
  if (more > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${more} more.` }] });
  const text = [`Open incidents (${incidents.length}):`, ...lines].join('\n');
  return { text, blocks };
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}
