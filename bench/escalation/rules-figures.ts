/**
 * The rules round's figures from what it recorded, pure: the steps the bot planned (rows of
 * `deliveries`, times in epoch ms) and what the fakes received. Lateness = sent − due; lost = steps
 * expected but never sent, failed or throttled; duplicate = a fake took the same step twice.
 */
import { type Stats, stats } from '../shared.js';
import type { Arrival } from './provider-fakes.js';
import type { BenchRule } from './rules-config.js';

export type StepStatus = 'pending' | 'sent' | 'failed' | 'throttled' | 'skipped';

export interface StepRecord {
  pageId: number;
  /** Index of the rule in the person's `notify:` list. */
  step: number;
  channel: BenchRule['via'];
  /** Phone number, topic or address; unused for Slack. */
  target: string;
  status: StepStatus;
  dueAt: number;
  sentAt: number | null;
}

export interface StepFigures {
  rule: BenchRule;
  /** Sent − due, from the bot's own record. */
  lateness: Stats;
  /** First arrival at the fake − due. */
  arrivalLateness: Stats;
}

export interface RulesFigures {
  expected: number;
  planned: number;
  counts: Record<StepStatus, number>;
  /** Expected steps never sent, failed or throttled: not planned, still pending, or skipped. */
  lost: number;
  /** Sent steps no fake received. */
  unreceived: number;
  /** Extra arrivals of a step a fake had already received. */
  duplicates: number;
  lateness: Stats;
  arrivalLateness: Stats;
  byStep: StepFigures[];
  /** Sent steps per second, from the first step due to the last sent. */
  deliveriesPerSecond: number;
}

/** How a fake names whom a step reached (see `Arrival.key`). */
export function arrivalKey(step: Pick<StepRecord, 'channel' | 'pageId' | 'target'>): string {
  if (step.channel === 'slack') return `page-${step.pageId}`;
  return step.channel === 'email' ? step.target.toLowerCase() : step.target;
}

export function rulesFigures(
  escalations: number,
  rules: BenchRule[],
  steps: StepRecord[],
  arrivals: Arrival[],
): RulesFigures {
  const counts: Record<StepStatus, number> = { pending: 0, sent: 0, failed: 0, throttled: 0, skipped: 0 };
  for (const step of steps) counts[step.status] += 1;
  const firstArrival = new Map<string, number>();
  const arrivalsOf = new Map<string, number>();
  for (const arrival of arrivals) {
    const key = `${arrival.channel} ${arrival.key}`;
    arrivalsOf.set(key, (arrivalsOf.get(key) ?? 0) + 1);
    firstArrival.set(key, Math.min(firstArrival.get(key) ?? Number.POSITIVE_INFINITY, arrival.at));
  }
  let duplicates = 0;
  for (const n of arrivalsOf.values()) duplicates += n - 1;

  const lateness: number[] = [];
  const arrived: number[] = [];
  const byStep = rules.map(() => ({ lateness: [] as number[], arrived: [] as number[] }));
  let unreceived = 0;
  let firstDue = Number.POSITIVE_INFINITY;
  let lastSent = Number.NEGATIVE_INFINITY;
  for (const step of steps) {
    firstDue = Math.min(firstDue, step.dueAt);
    if (step.status !== 'sent' || step.sentAt === null) continue;
    lastSent = Math.max(lastSent, step.sentAt);
    lateness.push(step.sentAt - step.dueAt);
    byStep[step.step]?.lateness.push(step.sentAt - step.dueAt);
    const at = firstArrival.get(`${step.channel} ${arrivalKey(step)}`);
    if (at === undefined) {
      unreceived += 1;
      continue;
    }
    arrived.push(at - step.dueAt);
    byStep[step.step]?.arrived.push(at - step.dueAt);
  }
  const expected = escalations * rules.length;
  const spanSeconds = (lastSent - firstDue) / 1000;
  return {
    expected,
    planned: steps.length,
    counts,
    lost: Math.max(0, expected - counts.sent - counts.failed - counts.throttled),
    unreceived,
    duplicates,
    lateness: stats(lateness),
    arrivalLateness: stats(arrived),
    byStep: rules.map((rule, i) => ({
      rule,
      lateness: stats(byStep[i]!.lateness),
      arrivalLateness: stats(byStep[i]!.arrived),
    })),
    deliveriesPerSecond: spanSeconds > 0 ? counts.sent / spanSeconds : Number.NaN,
  };
}
