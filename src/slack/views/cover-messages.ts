import type { Button, KnownBlock } from '@slack/types';
import type { CoverRequest } from '../../escalation/cover-repo.js';
import { ActionId, BlockId } from '../ids.js';
import { mrkdwnFit } from './escape.js';
import { slackDate } from './format.js';
import type { SlackMessage } from './incident-headline.js';
import { cancelHint } from './override-messages.js';

/** Which copy of a request: the team channel's, a participant's DM, or the requester's own DM. */
export type CoverCopy = 'team' | 'participant' | 'requester';

export const coverCancelHint = (id: number) => `\`/incident oncall cover cancel ${id}\``;

const MAX_REASON = 1000;

const window = (r: CoverRequest) => `from ${slackDate(r.startsAt)} until ${slackDate(r.endsAt)}`;

function button(actionId: string, label: string, request: CoverRequest, style: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: label },
    value: String(request.id),
    style,
  };
}

/** What a copy says once the request is closed; null while open. */
function outcome(r: CoverRequest): string | null {
  switch (r.status) {
    case 'open':
      return null;
    case 'taken':
      return `:white_check_mark: <@${r.closedBy}> took it: on call for *${r.schedule}* ${window(r)} instead of <@${r.requestedBy}> (override ${r.overrideId ?? '–'}).`;
    case 'cancelled':
      return `:leftwards_arrow_with_hook: ${r.closedBy === r.requestedBy ? `<@${r.requestedBy}>` : `<@${r.closedBy}> (an admin)`} cancelled this request; nothing changed.`;
    case 'expired':
      return ':hourglass: Expired: nobody took it before it started, so the rota stands.';
  }
}

/** A copy of cover request `r`, as `copy` shows it now: Take it while open, or what came of it. */
export function buildCoverRequestMessage(r: CoverRequest, copy: CoverCopy): SlackMessage {
  const ask =
    copy === 'requester'
      ? `:sos: You asked for cover on *${r.schedule}* ${window(r)} (request ${r.id}).`
      : `:sos: <@${r.requestedBy}> asks for cover on *${r.schedule}* ${window(r)}.`;
  const reason = r.reason ? `\n>${mrkdwnFit(r.reason, MAX_REASON).replaceAll('\n', '\n>')}` : '';
  const closed = outcome(r);
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `${ask}${reason}` } }];
  if (closed) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: closed }] });
  } else if (copy === 'requester') {
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `Nobody has taken it yet. Cancel it here or with ${coverCancelHint(r.id)}.` },
      ],
    });
    blocks.push({
      type: 'actions',
      block_id: BlockId.coverActions,
      elements: [button(ActionId.cancelCover, 'Cancel request', r, 'danger')],
    });
  } else {
    blocks.push({
      type: 'actions',
      block_id: BlockId.coverActions,
      elements: [button(ActionId.takeCover, 'Take it', r, 'primary')],
    });
  }
  const fallback = copy === 'requester' ? 'Your cover request' : `<@${r.requestedBy}> asks for cover`;
  return { text: `${fallback} on ${r.schedule}${closed ? ` — ${r.status}` : ''}`, blocks };
}

/** The two DMs once a request is taken: to the taker and to the requester. */
export function buildCoverTakenMessages(r: CoverRequest): {
  taker: { text: string };
  requester: { text: string };
} {
  const override =
    r.overrideId === null ? '' : ` Override ${r.overrideId}; cancel it with ${cancelHint(r.overrideId)}.`;
  const taker = `:white_check_mark: You took <@${r.requestedBy}>'s cover request: you are on call for *${r.schedule}* ${window(r)}.${override}`;
  const requester = `:white_check_mark: <@${r.closedBy}> took your cover request: they are on call for *${r.schedule}* ${window(r)} instead of you.${override}`;
  return { taker: { text: taker }, requester: { text: requester } };
}
