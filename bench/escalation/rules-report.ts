/** Prints the rules round (rules-round.ts) as a table, a few lines and one JSON line. */
import { round1, type Stats, stats, statsJson, table } from '../shared.js';
import { cores, cpuJson, fmt } from './phase-meter.js';
import type { RulesOptions, RulesResult } from './rules-round.js';

/** Issue #13's target: step lateness p99 ≤ 1 s, no lost or duplicate delivery. */
const P99_TARGET_MS = 1000;

/** The single-channel round's figures (bench/escalation.ts), printed beside the rules round's. */
export interface SingleChannelFigures {
  levels: number;
  lateness: Stats;
  perSecond: number;
  raw: Stats;
}

export function printRulesReport(
  options: RulesOptions,
  result: RulesResult,
  single: SingleChannelFigures,
): void {
  const { figures: f, raw } = result;
  const rulesText = options.rules.map((r) => `${r.via} ${r.afterMs} ms`).join(', ');
  console.log(
    `\nescalation with notification rules: ${options.escalations} escalations started at once, each paging a person ` +
      `of its own whose rules are ${rulesText} (the bot in a child process, worker role; Slack, SMTP, Twilio and push ` +
      `are local fakes); baseline: ${raw.chains} chains of ${options.rules.length} raw BullMQ jobs spaced as the steps, same Redis`,
  );
  const row = (name: string, s: Stats, atFake?: Stats) => [
    name,
    String(s.count),
    fmt(s.p50),
    fmt(s.p99),
    fmt(s.max),
    atFake ? String(atFake.count) : '',
    atFake ? fmt(atFake.p50) : '',
    atFake ? fmt(atFake.p99) : '',
  ];
  const rawAll = stats(raw.lateness);
  console.log(
    table([
      ['lateness (ms)', 'count', 'p50', 'p99', 'max', 'at fakes', 'fake p50', 'fake p99'],
      row('steps sent (sent − due)', f.lateness, f.arrivalLateness),
      ...f.byStep.map((s, i) =>
        row(`  step ${i + 1}: ${s.rule.via} after ${s.rule.afterMs} ms`, s.lateness, s.arrivalLateness),
      ),
      row('raw BullMQ: delayed jobs', rawAll),
      ...raw.byLevel.map((values, i) => row(`  job ${i + 1} of chain`, stats(values))),
    ]),
  );
  const c = f.counts;
  console.log(
    `steps: expected ${f.expected}, planned ${f.planned}; sent ${c.sent}, failed ${c.failed}, throttled ${c.throttled}, ` +
      `skipped ${c.skipped}, pending ${c.pending}; lost ${f.lost}; sent but not received by a fake ${f.unreceived}; ` +
      `duplicates ${f.duplicates}; ${fmt(f.deliveriesPerSecond)} deliveries/s (sent steps from the first due to the last sent); ` +
      `start failures ${result.startFailures}; starts took ${result.startSeconds.toFixed(2)} s, all done in ${result.seconds.toFixed(2)} s`,
  );
  if (result.firstStartError) console.log(`first start failure: ${result.firstStartError}`);
  if (result.failures.length > 0)
    console.log(`step failures (first reasons): ${result.failures.join(' | ')}`);
  if (f.planned < f.expected) {
    console.log(
      `note: ${f.expected - f.planned} expected steps were never planned (a bot that plans no notification steps records only the page DMs)`,
    );
  }
  console.log(
    `cpu (average cores): bot child ${cores(result.botCores)}; this process ${cores(result.cpu.node)} (fakes, starts), ` +
      `Postgres ${cores(result.cpu.postgres)}, Redis ${cores(result.cpu.redis)}, other processes ${cores(result.cpu.other === null ? null : Math.max(0, result.cpu.other - result.botCores))}`,
  );
  const perStep = (coresUsed: number) => ((coresUsed * result.cpu.seconds * 1000) / c.sent).toFixed(1);
  console.log(
    `CPU per sent step: bot ${perStep(result.botCores)} ms, Postgres ${perStep(result.cpu.postgres)} ms, ` +
      `Redis ${perStep(result.cpu.redis)} ms, this process (fakes, starts) ${perStep(result.cpu.node)} ms`,
  );
  const share = (list: Array<[string, number]>) =>
    list
      .slice(0, 5)
      .map(([what, n]) => `${what} ${(n * 100).toFixed(0)}%`)
      .join(', ');
  console.log(
    `the bot's Postgres sessions, when not idle (pg_stat_activity every 100 ms): ${share(result.backends)}`,
  );
  const side = (name: string, s: Stats, perSecond?: number) => [
    name,
    String(s.count),
    fmt(s.p50),
    fmt(s.p99),
    fmt(s.max),
    perSecond === undefined ? '' : fmt(perSecond),
  ];
  console.log(
    table([
      ['beside the single-channel round (ms)', 'count', 'p50', 'p99', 'max', 'per s'],
      side(
        `single channel: ${single.levels} levels paged (page DM a no-op)`,
        single.lateness,
        single.perSecond,
      ),
      side(`rules: ${options.rules.length} steps per page, sent`, f.lateness, f.deliveriesPerSecond),
      side('raw BullMQ, single-channel chains', single.raw),
      side('raw BullMQ, chains spaced as the steps', rawAll),
    ]),
  );
  const meets = f.lateness.p99 <= P99_TARGET_MS;
  const healthy = f.lost === 0 && f.duplicates === 0 && f.unreceived === 0 && result.startFailures === 0;
  console.log(
    `step lateness p99 ${fmt(f.lateness.p99)} ms (target ≤ ${P99_TARGET_MS} ms: ${meets ? 'met' : 'missed'}; raw BullMQ p99 ${fmt(rawAll.p99)} ms); ` +
      `lost ${f.lost}, duplicates ${f.duplicates} (target 0: ${healthy ? 'met' : 'missed'})  ${meets && healthy ? 'PASS' : 'MISS'}`,
  );
  console.log(
    JSON.stringify({
      bench: 'escalation-rules',
      escalations: options.escalations,
      rules: options.rules,
      steps: {
        ...statsJson(f.lateness),
        atFake: statsJson(f.arrivalLateness),
        byStep: f.byStep.map((s) => ({
          ...s.rule,
          ...statsJson(s.lateness),
          atFake: statsJson(s.arrivalLateness),
        })),
        expected: f.expected,
        planned: f.planned,
        ...f.counts,
        lost: f.lost,
        unreceived: f.unreceived,
        duplicates: f.duplicates,
        deliveriesPerSecond: round1(f.deliveriesPerSecond),
        startSec: round1(result.startSeconds),
        totalSec: round1(result.seconds),
        botCores: round1(result.botCores),
        cpu: cpuJson(result.cpu),
      },
      raw: {
        ...statsJson(rawAll),
        byLevel: raw.byLevel.map((v) => statsJson(stats(v))),
        missing: raw.missing,
      },
      target: { p99MaxMs: P99_TARGET_MS, lost: 0, duplicates: 0 },
      pass: meets && healthy,
    }),
  );
}
