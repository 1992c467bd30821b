import type { IncidentStatus } from '../../incidents/incident-types.js';
import { mrkdwn, mrkdwnFit } from './escape.js';

/** Slack renders `<!date>` in each viewer's own time zone; the fallback is UTC ISO. */
export function slackDate(date: Date, format = '{date_short_pretty} at {time}'): string {
  const seconds = Math.floor(date.getTime() / 1000);
  const fallback = `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${seconds}^${format}|${fallback}>`;
}

export function userMention(userId: string | null): string {
  return userId ? `<@${userId}>` : '_unassigned_';
}

/** Who did something: a Slack user id as a mention, a source's name ("Alertmanager") as text. */
export function actorMention(by: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(by) ? `<@${by}>` : mrkdwnFit(by, 100);
}

export function channelMention(channelId: string | null, fallbackName?: string | null): string {
  if (channelId) return `<#${channelId}>`;
  return fallbackName ? `#${mrkdwn(fallbackName)}` : '_channel being created_';
}

export function statusLabel(status: IncidentStatus): string {
  return status.charAt(0).toUpperCase() + status.slice(1);
}

/** "3h 5m", "2d 4h", "45s": compact ages for lists. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return `${m}m`;
  return `${s}s`;
}

/** A link Slack renders as such only when the URL cannot break out of `<url|label>` (`label` is mrkdwn). */
export function linkTo(url: string, label: string): string {
  return /^https?:\/\/[^\s<>|]+$/.test(url) ? `<${mrkdwn(url)}|${label}>` : mrkdwnFit(url, 1900);
}
