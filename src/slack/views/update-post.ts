import type { Incident } from '../../incidents/incident-types.js';
import { mrkdwn } from './escape.js';

/** A status update as posted in the incident channel and the announcement thread. */
export function buildUpdatePost(incident: Incident, text: string, by: string): { text: string } {
  return { text: `:loudspeaker: *Update on incident #${incident.number}* from <@${by}>:\n${mrkdwn(text)}` };
}
