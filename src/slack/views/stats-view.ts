import type { IncidentStats, Percentiles } from '../../incidents/incident-stats.js';
import { formatDuration } from './format.js';
import type { SlackMessage } from './incident-headline.js';

const TIER_LABEL = {
  elite: 'Elite (under 1 hour)',
  high: 'High (under 1 day)',
  medium: 'Medium (under 1 week)',
  low: 'Low (a week or more)',
} as const;

function times(p: Percentiles): string {
  if (p.count === 0) return 'no data';
  const f = (ms: number | null) => (ms === null ? 'n/a' : formatDuration(ms));
  return `p50 ${f(p.p50)} · p90 ${f(p.p90)} · p95 ${f(p.p95)} (${p.count} incident${p.count === 1 ? '' : 's'})`;
}

/** `/incident stats`: counts by severity, response times, and the DORA time-to-restore tier. */
export function buildStatsMessage(stats: IncidentStats, windowDays: number): SlackMessage {
  const lines = [
    `*Incidents in the last ${windowDays} days: ${stats.total}*`,
    `By severity: SEV1 ${stats.bySeverity.SEV1} · SEV2 ${stats.bySeverity.SEV2} · SEV3 ${stats.bySeverity.SEV3} · SEV4 ${stats.bySeverity.SEV4}`,
    `Time to acknowledge (first page → ack): ${times(stats.timeToAcknowledge)}`,
    `Time to resolve (declared → resolved): ${times(stats.timeToResolve)}`,
    `DORA time-to-restore tier (p50): ${stats.doraTier ? TIER_LABEL[stats.doraTier] : 'no resolved incidents yet'}`,
  ];
  const text = lines.join('\n');
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
