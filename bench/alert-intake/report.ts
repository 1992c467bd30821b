import { availableParallelism, loadavg } from 'node:os';
import { round1, type Stats, stats, statsJson, table } from '../shared.js';

export { type Stats, stats };

import type { LoadResult } from './open-loop.js';

/** One target's round: what the load generator saw, the rows Postgres holds, and CPU. */
export interface RoundFigures {
  target: 'baseline' | 'bot';
  run: string;
  sent: number;
  accepted: number;
  /** Answers other than 202, by status (0: no answer), with the first body of each. */
  refused: Map<number, { count: number; first: string }>;
  /** Accepted events per second: accepted ÷ (last answer − first due time). */
  perSecond: number;
  /** Due time → answer, ms, of the accepted requests. */
  latency: Stats;
  /** Rows that hold the accepted events (the bot: alert_events; the baseline: its table). */
  rows: number;
  /** Shares of the target's busy Postgres session samples during the load, by state or wait event. */
  sessions: Array<[string, number]>;
  /** Accepted (202) events with no row. */
  lost: number;
  /** Rows of events whose answer never reached the load generator (it gave up waiting). */
  unanswered: number;
  /** Postgres transactions committed per event sent (the bot: its workers' too, until its pages were sent). */
  commitsPerEvent: number;
  /** The target's CPU per sent event, µs. */
  cpuMicrosPerEvent: number;
  /** Postgres's (all its processes) CPU per sent event, µs. */
  postgresMicrosPerEvent: number;
  /** Redis's CPU per sent event, µs. */
  redisMicrosPerEvent: number;
  /** Cores kept busy by other processes on the machine meanwhile (other people's work). */
  otherCores: number | null;
  /** Only for the bot. */
  alerts?: { open: number; expected: number; countSum: number; groups: number };
  /** Only for the bot: Slack Web API calls from the start of the run until its pages were sent, by method. */
  slackCalls?: Record<string, number>;
  /** Only for the bot: a new group's opening event accepted → its page DM sent, ms. */
  acceptToPage?: Stats & { unpaged: number };
}

export function summarizeLoad(results: LoadResult[]) {
  const accepted = results.filter((r) => r.status === 202);
  const refused = new Map<number, { count: number; first: string }>();
  for (const r of results) {
    if (r.status === 202) continue;
    const entry = refused.get(r.status) ?? { count: 0, first: r.body.slice(0, 300) };
    entry.count += 1;
    refused.set(r.status, entry);
  }
  const firstDue = Math.min(...results.map((r) => r.scheduledAt));
  const lastAnswer = Math.max(...accepted.map((r) => r.answeredAt));
  return {
    accepted,
    refused,
    perSecond: accepted.length / ((lastAnswer - firstDue) / 1000),
    latency: stats(accepted.map((r) => r.answeredAt - r.scheduledAt)),
  };
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '-');

export interface Targets {
  rate: number;
  perSecond: number;
  p99Ratio: number;
  acceptToPageP99Ms: number;
}

/** Prints the table, the checks against the targets, and one JSON line; returns whether all targets were met. */
export function printReport(
  header: string,
  rounds: RoundFigures[],
  targets: Targets,
  load: { before: number[]; after: number[] },
): boolean {
  console.log(header);
  console.log(
    table(
      [
        [
          'target',
          'run',
          'sent',
          'accepted',
          'events/s',
          'p50 ms',
          'p99 ms',
          'max ms',
          'rows',
          'lost',
          'cpu µs/event',
          'pg µs/event',
          'commits/event',
          'other cores',
        ],
        ...rounds.map((r) => [
          r.target,
          r.run,
          String(r.sent),
          String(r.accepted),
          r.perSecond.toFixed(0),
          ms(r.latency.p50),
          ms(r.latency.p99),
          ms(r.latency.max),
          String(r.rows),
          String(r.lost),
          r.cpuMicrosPerEvent.toFixed(0),
          r.postgresMicrosPerEvent.toFixed(0),
          r.commitsPerEvent.toFixed(2),
          r.otherCores === null ? '-' : r.otherCores.toFixed(2),
        ]),
      ],
      2,
    ),
  );
  console.log(
    "cpu µs/event: the target process's CPU per event sent; pg µs/event: Postgres's (every backend); " +
      "other cores: the machine's busy CPU outside this benchmark's processes (other people's work inflates every figure)",
  );
  let pass = true;
  for (const bot of rounds.filter((r) => r.target === 'bot')) {
    const base = rounds.find((r) => r.target === 'baseline' && r.run === bot.run);
    const p99Ratio = base ? bot.latency.p99 / base.latency.p99 : Number.NaN;
    const page = bot.acceptToPage;
    const checks = {
      rate: bot.perSecond >= targets.perSecond && bot.accepted === bot.sent,
      lost: bot.lost === 0 && (base ? base.lost === 0 : true),
      ratio: p99Ratio <= targets.p99Ratio,
      page: page !== undefined && page.p99 <= targets.acceptToPageP99Ms && page.unpaged === 0,
    };
    pass &&= Object.values(checks).every(Boolean);
    const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
    // What the machine would need per event with nothing else on it: the target, Postgres and Redis.
    const stack = (r: RoundFigures) => r.cpuMicrosPerEvent + r.postgresMicrosPerEvent + r.redisMicrosPerEvent;
    const capacity = (r: RoundFigures) => ((availableParallelism() * 1e6) / stack(r)).toFixed(0);
    console.log(
      `run ${bot.run}: bot ${bot.perSecond.toFixed(0)} events/s (target ≥ ${targets.perSecond}: ${mark(checks.rate)}); ` +
        `accept p50 ${ratio(bot.latency.p50, base?.latency.p50 ?? Number.NaN)} and p99 ${ratio(bot.latency.p99, base?.latency.p99 ?? Number.NaN)} the baseline's ` +
        `(target p99 ≤ ${targets.p99Ratio}×: ${mark(checks.ratio)}); lost ${bot.lost} (baseline ${base ? base.lost : '-'}: ${mark(checks.lost)})`,
    );
    console.log(
      `  CPU per event (target + Postgres + Redis): bot ${stack(bot).toFixed(0)} µs, baseline ${base ? stack(base).toFixed(0) : '-'} µs; ` +
        `${availableParallelism()} otherwise idle cores would be saturated at ~${capacity(bot)} events/s (baseline ~${base ? capacity(base) : '-'})`,
    );
    if (bot.alerts) {
      console.log(
        `  alerts: ${bot.alerts.open} open alerts (expected ${bot.alerts.expected}, one per dedup key), counts sum to ${bot.alerts.countSum}, ${bot.alerts.groups} groups`,
      );
    }
    if (bot.slackCalls) {
      const calls = Object.entries(bot.slackCalls).map(([method, n]) => `${method} ×${n}`);
      console.log(`  Slack calls until the pages were sent: ${calls.join(', ') || 'none'}`);
    }
    if (page) {
      console.log(
        `  accept → page DM sent: p50 ${ms(page.p50)} ms, p99 ${ms(page.p99)} ms, max ${ms(page.max)} ms over ${page.count} groups` +
          `${page.unpaged ? `, ${page.unpaged} not paged` : ''} (target p99 ≤ ${targets.acceptToPageP99Ms} ms: ${mark(checks.page)})`,
      );
    }
  }
  for (const r of rounds) {
    const shares = r.sessions.map(([what, share]) => `${what} ${(share * 100).toFixed(0)}%`).join(', ');
    console.log(`${r.target} ${r.run}: its busy Postgres sessions during the load: ${shares || '-'}`);
    if (r.unanswered > 0)
      console.log(
        `note: ${r.target} ${r.run}: ${r.unanswered} events stored whose answer the load generator stopped waiting for`,
      );
    for (const [status, { count, first }] of r.refused) {
      console.log(`warning: ${r.target} ${r.run}: ${count} answers ${status || 'missing'}; first: ${first}`);
    }
  }
  const fmtLoad = (l: number[]) => l.map((n) => n.toFixed(2)).join(' ');
  console.log(`load average (1, 5, 15 min): before ${fmtLoad(load.before)}, after ${fmtLoad(load.after)}`);
  console.log(`${pass ? 'PASS' : 'MISS'}`);
  console.log(
    JSON.stringify({
      bench: 'alert-intake',
      targets,
      loadavg: { before: load.before, after: load.after },
      rounds: rounds.map((r) => ({
        target: r.target,
        run: r.run,
        sent: r.sent,
        accepted: r.accepted,
        perSecond: round1(r.perSecond),
        latency: statsJson(r.latency),
        sessions: Object.fromEntries(
          r.sessions.map(([what, share]) => [what, Math.round(share * 1000) / 1000]),
        ),
        rows: r.rows,
        lost: r.lost,
        unanswered: r.unanswered,
        cpuMicrosPerEvent: Math.round(r.cpuMicrosPerEvent),
        postgresMicrosPerEvent: Math.round(r.postgresMicrosPerEvent),
        redisMicrosPerEvent: Math.round(r.redisMicrosPerEvent),
        commitsPerEvent: Math.round(r.commitsPerEvent * 100) / 100,
        otherCores: r.otherCores === null ? null : Math.round(r.otherCores * 100) / 100,
        ...(r.alerts ? { alerts: r.alerts } : {}),
        ...(r.slackCalls ? { slackCalls: r.slackCalls } : {}),
        ...(r.acceptToPage
          ? { acceptToPage: { ...statsJson(r.acceptToPage), unpaged: r.acceptToPage.unpaged } }
          : {}),
      })),
      pass,
    }),
  );
  return pass;
}

export const loadAverage = () => loadavg();
