import type { OpenAlert } from '../../alerts/alert-queries.js';
import type { MaintenanceWindow } from '../../alerts/maintenance-repo.js';
import type { MaintenanceAnnouncement } from '../../jobs/maintenance-announce.js';
import { mrkdwn, mrkdwnFit } from './escape.js';
import { actorMention, formatDuration, slackDate, userMention } from './format.js';

/** A reason as shown after a window: escaped, and cut so a long one cannot swamp the message. */
const because = (reason: string | null) => (reason ? ` (${mrkdwnFit(reason, 300)})` : '');

const pagedNow = (paged: number) =>
  paged === 0
    ? 'No alert from the window is still firing.'
    : `${paged} alert group${paged === 1 ? '' : 's'} opened during it ${paged === 1 ? 'is' : 'are'} still firing and paging now.`;

/** What the service's alerts channel (or whoever started the window) is told. */
export function buildMaintenanceAnnouncement(a: MaintenanceAnnouncement): { text: string } {
  const service = `*${mrkdwn(a.service)}*`;
  if (a.event === 'ended') {
    const how = a.actor ? `ended by ${userMention(a.actor)}` : 'is over';
    return {
      text: `:white_check_mark: Maintenance of ${service} ${how}: its alerts page again. ${pagedNow(a.paged)}`,
    };
  }
  const verb = a.event === 'started' ? 'started' : 'extended';
  return {
    text: `:construction: ${userMention(a.actor)} ${verb} maintenance of ${service} until ${slackDate(a.endsAt)}${because(a.reason)}: its alerts are recorded without paging. End it early with \`/incident maintenance ${a.service} off\`.`,
  };
}

/** `/incident maintenance`: the windows in force. */
export function buildMaintenanceList(windows: MaintenanceWindow[]): { text: string } {
  if (windows.length === 0) return { text: 'No service is in maintenance.' };
  const lines = windows.map(
    (w) =>
      `• *${mrkdwn(w.service)}* until ${slackDate(w.endsAt)}, started by ${userMention(w.createdBy)}${because(w.reason)}`,
  );
  return { text: ['*In maintenance* (alerts recorded without paging)', ...lines].join('\n') };
}

/** The answer to whoever started or extended a window. */
export function maintenanceStarted(w: MaintenanceWindow, extended: boolean): string {
  const service = `*${mrkdwn(w.service)}*`;
  const until = slackDate(w.endsAt);
  const lead = extended
    ? `Maintenance of ${service} now runs until ${until}`
    : `Started maintenance of ${service} until ${until}`;
  return `:construction: ${lead}: its alerts are recorded without paging until then. End it early with \`/incident maintenance ${w.service} off\`.`;
}

export function maintenanceEnded(w: MaintenanceWindow, paged: number): string {
  return `:white_check_mark: Ended maintenance of *${mrkdwn(w.service)}*: its alerts page again. ${pagedNow(paged)}`;
}

/**
 * Alerts shown by `/incident alerts` before "…and N more": plain message text (Slack takes 40,000
 * characters), and 50 of the longest lines are about 15,000.
 */
const MAX_LISTED_ALERTS = 50;

function alertState(a: OpenAlert): string {
  if (a.status === 'acknowledged')
    return a.acknowledgedBy ? `acknowledged by ${actorMention(a.acknowledgedBy)}` : 'acknowledged';
  return a.held ? 'firing, held by maintenance' : 'firing';
}

/** `/incident alerts`: open alerts per service (title, severity, count, since, state, who acknowledged). */
export function buildOpenAlertList(
  list: { alerts: OpenAlert[]; total: number },
  now: Date,
): { text: string } {
  if (list.total === 0) return { text: 'No open alerts.' };
  const shown = list.alerts.slice(0, MAX_LISTED_ALERTS);
  const lines: string[] = [`*Open alerts* (${list.total})`];
  let service: string | null = null;
  for (const a of shown) {
    if (a.service !== service) {
      service = a.service;
      lines.push(`*${mrkdwn(a.service)}*`);
    }
    const times = a.count > 1 ? ` ×${a.count}` : '';
    const age = formatDuration(now.getTime() - a.firstSeenAt.getTime());
    lines.push(
      `• ${a.severity} ${mrkdwnFit(a.title, 200)}${times}, since ${slackDate(a.firstSeenAt)} (${age}), ${alertState(a)}`,
    );
  }
  if (list.total > shown.length) lines.push(`…and ${list.total - shown.length} more.`);
  return { text: lines.join('\n') };
}
