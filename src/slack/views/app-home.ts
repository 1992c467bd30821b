import type { HomeView, KnownBlock } from '@slack/types';
import type { Incident } from '../../incidents/incident-types.js';
import { ActionId } from '../ids.js';
import { channelMention, escapeMrkdwn, formatDuration, statusLabel, truncate } from './format.js';

export interface AppHomeInput {
  viewerId: string;
  incidents: Incident[];
  /** Pages sent to the viewer that nobody has acknowledged yet. */
  waiting: Incident[];
  onCall: { schedule: string; user: string | null }[];
  now: Date;
}

const person = (id: string) => (/^[UW][A-Z0-9]{2,}$/.test(id) ? `<@${id}>` : escapeMrkdwn(id));

/** The App Home tab: what needs me, what is open (mine first), who is on call. */
export function buildAppHome(input: AppHomeInput): HomeView {
  const { viewerId, now } = input;
  const mine = (i: Incident) =>
    i.commanderId === viewerId ||
    i.reporterId === viewerId ||
    i.commsId === viewerId ||
    i.scribeId === viewerId;
  // The listener passes only incidents the viewer may see (slack/incident-access.ts).
  const ordered = [...input.incidents.filter(mine), ...input.incidents.filter((i) => !mine(i))];
  const line = (i: Incident) =>
    `${mine(i) ? ':bust_in_silhouette: ' : ''}*#${i.number}* ${escapeMrkdwn(truncate(i.title, 80))} — ${i.severity} · ${statusLabel(i.status)} · ${formatDuration(now.getTime() - i.declaredAt.getTime())} · ${channelMention(i.channelId, i.channelName)}`;
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'Incidents' } }];
  if (input.waiting.length > 0) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: '*:pager: Waiting for your acknowledgement*' },
    });
    for (const incident of input.waiting.slice(0, 10)) {
      blocks.push({
        type: 'section',
        text: { type: 'mrkdwn', text: line(incident) },
        accessory: {
          type: 'button',
          action_id: ActionId.acknowledgePage,
          text: { type: 'plain_text', text: 'Acknowledge' },
          style: 'primary',
          value: String(incident.id),
        },
      });
    }
    blocks.push({ type: 'divider' });
  }
  blocks.push({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: ordered.length
        ? `*Open incidents (${ordered.length})*\n${ordered.slice(0, 30).map(line).join('\n')}`
        : '*Open incidents*\nNone. :white_check_mark:',
    },
  });
  blocks.push({ type: 'divider' });
  blocks.push({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: input.onCall.length
        ? `*On call now*\n${input.onCall.map((o) => `• ${o.schedule}: ${o.user ? person(o.user) : '_nobody_'}`).join('\n')}`
        : '*On call now*\nNo schedules configured.',
    },
  });
  return { type: 'home', blocks };
}
