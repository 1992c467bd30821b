import { DateTime } from 'luxon';
import type { HandoffAnnouncement } from '../../jobs/handoff-announce.js';
import type { ShiftNotice } from '../../jobs/shift-notice.js';
import { mrkdwn } from './escape.js';
import { personMention } from './override-messages.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** "Mon 9 Dec 09:00 Europe/Berlin": the schedule's own wall time, as the rota is written. */
export function scheduleTime(at: Date, zone: string): string {
  return `${DateTime.fromJSDate(at, { zone }).setLocale('en-GB').toFormat('ccc d LLL HH:mm')} ${zone}`;
}

/** "primary → secondary → @heidi" per policy that pages the schedule. */
function escalationText(escalation: ShiftNotice['escalation']): string {
  const chain = (levels: ShiftNotice['escalation'][number]['levels']) =>
    levels
      .map((targets) =>
        targets.map((t) => (t.kind === 'schedule' ? mrkdwn(t.name) : personMention(t.name))).join(' + '),
      )
      .join(' → ');
  if (escalation.length === 0) return 'no escalation policy pages this schedule';
  if (escalation.length === 1) return `escalation: ${chain(escalation[0]!.levels)}`;
  return escalation.map((e) => `escalation (${mrkdwn(e.policy)}): ${chain(e.levels)}`).join('; ');
}

/**
 * The DM to the person going on call: ahead of the shift (notify_before) or as it starts.
 * "You are on call for primary until Mon 9 Dec 09:00 Europe/Berlin; escalation: primary → secondary".
 */
export function buildShiftNotice(notice: ShiftNotice, now: Date): { text: string } {
  const until =
    notice.until === null ? 'until further notice' : `until ${scheduleTime(notice.until, notice.timezone)}`;
  const escalation = escalationText(notice.escalation);
  if (notice.kind === 'start') {
    return { text: `:pager: You are on call for *${mrkdwn(notice.schedule)}* ${until}; ${escalation}.` };
  }
  const minutes = Math.max(1, Math.round((notice.startsAt.getTime() - now.getTime()) / 60_000));
  const inWhile = minutes >= 60 && minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
  return {
    text: `:alarm_clock: In ${inWhile} you are on call for *${mrkdwn(notice.schedule)}*: from ${scheduleTime(notice.startsAt, notice.timezone)} ${until}; ${escalation}.`,
  };
}

/** "last week", "in the last 3 days", "in the last 8 hours": the length of the shift that ended. */
export function spanText(ms: number): string {
  if (Math.abs(ms - 7 * DAY_MS) <= 2 * HOUR_MS) return 'last week';
  const weeks = ms / (7 * DAY_MS);
  if (weeks > 1 && Math.abs(weeks - Math.round(weeks)) * 7 * DAY_MS <= 2 * HOUR_MS)
    return `in the last ${Math.round(weeks)} weeks`;
  if (ms >= 20 * HOUR_MS) {
    const days = Math.round(ms / DAY_MS);
    return days === 1 ? 'in the last day' : `in the last ${days} days`;
  }
  const hours = Math.max(1, Math.round(ms / HOUR_MS));
  return hours === 1 ? 'in the last hour' : `in the last ${hours} hours`;
}

/** The handoff message in the schedule's channel: "@bob → @carol, 3 incidents last week, 1 still open". */
export function buildHandoffMessage(a: HandoffAnnouncement): { text: string } {
  const who = (person: string | null) => (person === null ? 'nobody' : personMention(person));
  let counts = '';
  if (a.incidents) {
    const { total, open, since } = a.incidents;
    const span = spanText(a.at.getTime() - since.getTime());
    const incidents = total === 1 ? '1 incident' : `${total === 0 ? 'no' : total} incidents`;
    const still = total === 0 ? '' : open === 0 ? ', none still open' : `, ${open} still open`;
    counts = `, ${incidents} ${span}${still}`;
  }
  return {
    text: `:arrows_counterclockwise: *${mrkdwn(a.schedule)}* on call: ${who(a.from)} → ${who(a.to)}${counts}.`,
  };
}
