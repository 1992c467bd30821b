import type { KnownBlock } from '@slack/types';
import type { AlertGroupView } from '../../alerts/alert-group-view.js';
import { SEVERITY_LEVELS } from '../../incidents/incident-types.js';
import { ActionId, BlockId } from '../ids.js';
import { cutTo, mrkdwnFit } from './escape.js';
import { actorMention, linkTo, slackDate } from './format.js';
import type { SlackMessage } from './incident-headline.js';

/** How many alerts a group's message lists before "and N more" (Block Kit: 3,000 characters a section). */
export const LISTED_ALERTS = 10;

/** The group's paging, as its buttons and status line need it (null: nothing pages for it). */
export interface AlertPaging {
  state: 'triggered' | 'acknowledged' | 'resolved' | 'exhausted';
  epoch: number;
  /** Passes made when exhausted. */
  loop: number;
}

/** Why this person was paged (a DM); absent on the channel message. */
export interface AlertPageReason {
  level: number;
  pass: number;
  via: string;
}

const headline = (group: AlertGroupView) =>
  group.alertCount > 1
    ? `${group.alertCount} alerts firing for ${mrkdwnFit(group.service, 100)}`
    : mrkdwnFit(group.title, 500);

/**
 * An alert group's page: what fires (title, service, severity, labels, count, links with the runbook
 * first, and the list when the group holds several alerts), its state, and the buttons that still
 * apply. The same message is the DM to each person paged (with why they were) and the group's
 * message in the service's alerts channel. Pure.
 */
export function buildAlertPageMessage(
  group: AlertGroupView,
  paging: AlertPaging | null,
  reason?: AlertPageReason,
): SlackMessage {
  const level = SEVERITY_LEVELS[group.severity];
  const first = group.alerts[0];
  const count = first && group.alertCount === 1 && first.count > 1 ? ` · fired ${first.count} times` : '';
  const lines = [
    `${icon(group, paging)} *${headline(group)}*`,
    `${group.severity} · ${level.name} · ${mrkdwnFit(group.service, 100)}${count} · since ${slackDate(group.openedAt, '{time}')}`,
  ];
  if (group.alertCount > 1) lines.push(mrkdwnFit(group.title, 500));
  const labels = Object.entries(first?.labels ?? {}).map(([k, v]) => `\`${mrkdwnFit(`${k}=${v}`, 80)}\``);
  if (labels.length > 0) lines.push(cutTo(labels.join(' '), 600));
  const links = (first?.links ?? []).slice(0, 5).map((l) => linkTo(l.href, mrkdwnFit(l.text, 80)));
  if (links.length > 0) lines.push(links.join(' · '));
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: cutTo(lines.join('\n'), 3000) } },
  ];
  if (group.alertCount > 1) blocks.push(alertList(group));
  const status = statusLine(group, paging, reason);
  if (status) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: status }] });
  const buttons = actions(group, paging);
  if (buttons) blocks.push(buttons);
  return { text: fallback(group, paging), blocks };
}

function icon(group: AlertGroupView, paging: AlertPaging | null): string {
  if (group.state === 'resolved' || paging?.state === 'resolved') return ':large_green_circle:';
  if (group.state === 'acknowledged' || paging?.state === 'acknowledged') return ':white_check_mark:';
  return ':rotating_light:';
}

function alertList(group: AlertGroupView): KnownBlock {
  const lines = group.alerts.map((a) => {
    const times = a.count > 1 ? ` (×${a.count})` : '';
    const state = a.status === 'firing' ? '' : ` _${a.status}_`;
    return `• ${a.severity} ${mrkdwnFit(a.title, 200)}${times}${state}`;
  });
  const more = group.alertCount - group.alerts.length;
  if (more > 0) lines.push(`and ${more} more`);
  return { type: 'section', text: { type: 'mrkdwn', text: cutTo(lines.join('\n'), 3000) } };
}

function statusLine(
  group: AlertGroupView,
  paging: AlertPaging | null,
  reason?: AlertPageReason,
): string | null {
  if (group.state === 'resolved' && group.resolvedBy && group.resolvedAt)
    return `Resolved by ${actorMention(group.resolvedBy)} at ${slackDate(group.resolvedAt, '{time}')}.`;
  if (group.state === 'resolved') return 'Resolved.';
  if (group.state === 'acknowledged' && group.acknowledgedBy && group.acknowledgedAt)
    return `Acknowledged by ${actorMention(group.acknowledgedBy)} at ${slackDate(group.acknowledgedAt, '{time}')}.`;
  if (paging?.state === 'exhausted')
    return `Nobody acknowledged after ${paging.loop + 1} pass${paging.loop ? 'es' : ''} through the escalation policy.`;
  if (!reason) return null;
  const how =
    reason.via === 'user'
      ? 'you are named in the escalation policy'
      : `you are on call (${mrkdwnFit(reason.via.replace('schedule:', ''), 200)})`;
  return reason.level < 1
    ? 'Paged by hand.'
    : `Level ${reason.level}${reason.pass > 1 ? `, pass ${reason.pass}` : ''}: ${how}.`;
}

type Button = {
  type: 'button';
  action_id: string;
  text: { type: 'plain_text'; text: string };
  value: string;
  style?: 'primary' | 'danger';
};

function actions(group: AlertGroupView, paging: AlertPaging | null): KnownBlock | null {
  if (group.state === 'resolved') return null;
  const id = String(group.id);
  const button = (action_id: string, text: string, value = id, style?: 'primary'): Button => ({
    type: 'button',
    action_id,
    text: { type: 'plain_text', text },
    value,
    ...(style ? { style } : {}),
  });
  const elements: Button[] = [];
  const paged = paging !== null && paging.state !== 'resolved';
  if (paged && paging.state !== 'acknowledged' && group.state === 'firing')
    elements.push(button(ActionId.alertAcknowledge, 'Acknowledge', id, 'primary'));
  // The epoch the person saw: escalating acts only if nothing changed since.
  if (paged) elements.push(button(ActionId.alertEscalate, 'Escalate now', `${id}-${paging.epoch}`));
  elements.push(button(ActionId.alertResolve, 'Resolve'));
  if (group.incidentId === null) elements.push(button(ActionId.alertDeclare, 'Declare incident'));
  return { type: 'actions', block_id: BlockId.alertPageActions, elements };
}

function fallback(group: AlertGroupView, paging: AlertPaging | null): string {
  const what = `${group.severity} ${headline(group)}`;
  if (group.state === 'resolved') return `Resolved: ${what}`;
  if (group.state === 'acknowledged' || paging?.state === 'acknowledged') return `Acknowledged: ${what}`;
  return `:rotating_light: Alert for ${mrkdwnFit(group.service, 100)}: ${what}`;
}
