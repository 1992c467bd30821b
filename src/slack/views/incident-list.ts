import type { KnownBlock } from '@slack/types';
import type { Incident } from '../../incidents/incident-types.js';
import { chunkLines, mrkdwnFit } from './escape.js';
import { channelMention, formatDuration, statusLabel } from './format.js';
import type { SlackMessage } from './incident-headline.js';

const MAX_LISTED = 20;
/** Slack refuses a section over 3,000 characters; a little room is kept for safety. */
export const SECTION_TEXT_MAX = 2900;

/** One incident on one line, as `/incident list` and App Home show it. */
export function incidentLine(incident: Incident, now: Date, prefix = ''): string {
  const age = formatDuration(now.getTime() - incident.declaredAt.getTime());
  return `${prefix}*#${incident.number}* ${mrkdwnFit(incident.title, 240)} — ${incident.severity} · ${statusLabel(incident.status)} · ${age} · ${channelMention(incident.channelId, incident.channelName)}`;
}

/** Lines as as many sections as they need, each within Slack's section limit. */
export function sectionsOf(lines: readonly string[]): KnownBlock[] {
  return chunkLines(lines, SECTION_TEXT_MAX).map(section);
}

/** `/incident list`: open incidents, newest first, with their channel and age. */
export function buildIncidentList(incidents: Incident[], now: Date): SlackMessage {
  if (incidents.length === 0) {
    return {
      text: 'No open incidents. :white_check_mark:',
      blocks: [section('No open incidents. :white_check_mark:')],
    };
  }
  const shown = incidents.slice(0, MAX_LISTED);
  const lines = shown.map((incident) => incidentLine(incident, now, incident.isPrivate ? ':lock: ' : ''));
  const more = incidents.length - shown.length;
  const blocks: KnownBlock[] = [section(`*Open incidents (${incidents.length})*`), ...sectionsOf(lines)];
  if (more > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${more} more.` }] });
  const text = [`Open incidents (${incidents.length}):`, ...lines].join('\n');
  return { text, blocks };
}

export function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}
