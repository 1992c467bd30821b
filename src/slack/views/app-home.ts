import type { HomeView, KnownBlock } from '@slack/types';
import type { Incident } from '../../incidents/incident-types.js';
import { ActionId } from '../ids.js';
import { cutTo, mrkdwn } from './escape.js';
import { incidentLine, SECTION_TEXT_MAX, sectionsOf } from './incident-list.js';
import { buildNotifyRulesBlocks, type NotifyRulesInput } from './notify-rules.js';

export interface AppHomeInput {
  viewerId: string;
  incidents: Incident[];
  /** Pages sent to the viewer that nobody has acknowledged yet. */
  waiting: Incident[];
  onCall: { schedule: string; user: string | null }[];
  now: Date;
  /** "Your notification rules" with their test buttons; null (no oncall.yaml): not shown. */
  rules?: NotifyRulesInput | null;
}

const person = (id: string) => (/^[UW][A-Z0-9]{2,}$/.test(id) ? `<@${id}>` : mrkdwn(id));

/** Open incidents listed on the tab; a Home view holds 100 blocks, and each section 3,000 characters. */
const MAX_OPEN_LISTED = 50;

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
  const line = (i: Incident) => incidentLine(i, now, mine(i) ? ':bust_in_silhouette: ' : '');
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
  if (ordered.length === 0) {
    blocks.push(sectionsOf(['*Open incidents*\nNone. :white_check_mark:'])[0]!);
  } else {
    const listed = ordered.slice(0, MAX_OPEN_LISTED);
    const more = ordered.length - listed.length;
    blocks.push(...sectionsOf([`*Open incidents (${ordered.length})*`, ...listed.map(line)]));
    if (more > 0)
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${more} more.` }] });
  }
  blocks.push({ type: 'divider' });
  blocks.push({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: input.onCall.length
        ? cutTo(
            `*On call now*\n${input.onCall.map((o) => `• ${mrkdwn(o.schedule)}: ${o.user ? person(o.user) : '_nobody_'}`).join('\n')}`,
            SECTION_TEXT_MAX,
          )
        : '*On call now*\nNo schedules configured.',
    },
  });
  if (input.rules) blocks.push({ type: 'divider' }, ...buildNotifyRulesBlocks(input.rules));
  return { type: 'home', blocks };
}
