/**
 * Escalation timing under load: how late the engine pages each level when 1,000 escalations run at once
 * with sub-second delays, beside raw BullMQ delayed jobs measured in the same run (the baseline), so the
 * ratio holds on a noisy machine. Target from issue 3: p99 lateness ≤ 1 s and ≤ 2× the raw figure.
 *
 *   npx tsx bench/escalation.ts [--escalations 1000] [--delays 500,500,500] [--start-concurrency 8]
 *                               [--pool-max 10] [--warmup 100] [--timeout 60]
 *                               [--rules slack:0,push:1000,sms:2000,email:3000 | none]
 *
 * (or ESC_BENCH_ESCALATIONS, ESC_BENCH_DELAYS, ESC_BENCH_START_CONCURRENCY, ESC_BENCH_POOL_MAX,
 * ESC_BENCH_WARMUP, ESC_BENCH_TIMEOUT, ESC_BENCH_RULES).
 *
 * Then, unless `--rules none`, the notification-rules round of issue #13 (bench/escalation/rules-round.ts):
 * as many escalations, each paging a person whose rules are `--rules` (via:afterMs), fired by the real
 * bot in a child process against local fakes of Slack, SMTP, Twilio and push; it prints step lateness,
 * deliveries per second, lost and duplicate steps beside raw BullMQ chains spaced as the steps.
 *
 * Engine: the real engine (createEscalationService) on a real, durable Postgres (fsync on) and Redis, driven by the real
 * workers (startWorkers: timer worker concurrency 50, the reconciler) with the pool the bot uses
 * (createPool's default size unless --pool-max). Only the Slack side is a no-op: sending a page DM
 * resolves at once, since this measures escalation decisions, not Slack. `--escalations` incidents start
 * paging at once (at most `--start-concurrency` start transactions in flight, so the pool is not
 * exhausted) through a policy of one level per `--delays` entry, and every level fires.
 *   lateness of level 1 = its page's created_at − the escalation's start (the `escalation.started` time);
 *   lateness of level k = its page's created_at − (level k−1's decision time + level k−1's delay), the
 *   exact due time the engine wrote to next_step_at (the `escalation.paged` event of level k−1 carries
 *   that decision time).
 * Level 1's lateness starts when its start transaction ran, so time spent waiting for a turn to start is
 * not in it; the line "level 1 from the start request" measures from the moment all starts were asked
 * for. The check that follows the last level (which marks the escalation exhausted) is reported on its
 * own line; it pages nobody, so it is not one of the fired levels. Also printed, to explain the figures:
 * how long each fireStep took, how many callers waited for a pool connection, the CPU of this process
 * (and how busy its event loop was), of Postgres, of Redis and of other processes on the machine, and
 * Redis commands and transactions per escalation.
 *
 * Baseline: a plain BullMQ Worker (same concurrency, same worker settings, same Redis) on a queue of its
 * own, fed the same shape of work: as many chains as escalations, each a job due at once followed by one
 * delayed job per further level, added by the processor of the previous job with the same delay.
 *   lateness = processing start − (add time + delay).
 *
 * A warm-up of `--warmup` escalations and chains runs first and is not reported. Benchmarks report; they
 * do not assert: exit 1 only if something failed to start or run.
 */
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { systemClock } from '../src/clock.js';
import { runMigrations } from '../src/db/migrate.js';
import { createPool } from '../src/db/pool.js';
import type { EscalationService } from '../src/escalation/escalation-service.js';
import { parseOncallConfig } from '../src/escalation/oncall-config.js';
import { createMetrics } from '../src/http/metrics.js';
import type { JobDeps } from '../src/jobs/job.js';
import { startWorkers } from '../src/jobs/workers.js';
import { createLogger } from '../src/logger.js';
import { createProducerConnection, createWorkerConnection } from '../src/queue/redis.js';
import { createDatabase, type PostgresServer, startPostgresServer } from '../test/helpers/postgres-server.js';
import { type RedisServer, startRedisServer } from '../test/helpers/redis-server.js';
import { createBenchEngine } from './escalation/bench-incidents.js';
import { type EngineResult, type EngineRig, runEngineRound } from './escalation/engine-round.js';
import {
  type Cleanups,
  cores,
  cpuJson,
  fmt,
  type PhaseReading,
  sleep,
  warningSink,
} from './escalation/phase-meter.js';
import { type RawResult, runRawRound, startRawRig } from './escalation/raw-round.js';
import { type BenchRule, DEFAULT_RULES, parseRules } from './escalation/rules-config.js';
import { printRulesReport } from './escalation/rules-report.js';
import { runRulesBench } from './escalation/rules-round.js';
import { round1, type Stats, stats, statsJson, table } from './shared.js';

const P99_TARGET_MS = 1000;
const P99_TARGET_RATIO = 2;
/** The timer worker's concurrency in src/jobs/workers.ts; the baseline worker uses the same. */
const TIMER_WORKER_CONCURRENCY = 50;
const QUEUE_PREFIX = '{bench-escalation}';

interface Options {
  escalations: number;
  delaysMs: number[];
  startConcurrency: number;
  poolMax: number | undefined;
  warmup: number;
  timeoutSec: number;
  /** The rules round's rules; null: no rules round (`--rules none`). */
  rules: BenchRule[] | null;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      escalations: { type: 'string' },
      delays: { type: 'string' },
      'start-concurrency': { type: 'string' },
      'pool-max': { type: 'string' },
      warmup: { type: 'string' },
      timeout: { type: 'string' },
      rules: { type: 'string' },
    },
    strict: true,
  });
  const env = process.env;
  const int = (name: string, flag: string | undefined, fallback: string | undefined, min: number) => {
    const raw = flag ?? fallback;
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return value;
  };
  const delaysText = values.delays ?? env.ESC_BENCH_DELAYS ?? '500,500,500';
  const delaysMs = delaysText.split(',').map((part) => Number(part.trim().replace(/ms$/, '')));
  if (delaysMs.length === 0 || delaysMs.some((d) => !Number.isInteger(d) || d < 1 || d > 59_999)) {
    throw new Error(
      '--delays must be a comma-separated list of milliseconds, each 1…59999 (e.g. 500,500,500)',
    );
  }
  return {
    escalations: int('escalations', values.escalations, env.ESC_BENCH_ESCALATIONS, 1) ?? 1000,
    delaysMs,
    startConcurrency:
      int('start-concurrency', values['start-concurrency'], env.ESC_BENCH_START_CONCURRENCY, 1) ?? 8,
    poolMax: int('pool-max', values['pool-max'], env.ESC_BENCH_POOL_MAX, 1),
    warmup: int('warmup', values.warmup, env.ESC_BENCH_WARMUP, 0) ?? 100,
    timeoutSec: int('timeout', values.timeout, env.ESC_BENCH_TIMEOUT, 1) ?? 60,
    rules: parseRules(values.rules ?? env.ESC_BENCH_RULES ?? DEFAULT_RULES),
  };
}

/** One schedule with one person on call, and a policy whose levels page it (or a user) with short delays. */
function oncallYaml(delaysMs: number[]): string {
  const levels = delaysMs.map((delay, i) => {
    const target = i % 2 === 0 ? 'schedule:primary' : `user:U0BENCH${String(i + 1).padStart(3, '0')}`;
    return `      - { notify: ["${target}"], escalate_after: ${delay}ms }`;
  });
  return [
    'timezone: UTC',
    'schedules:',
    '  primary:',
    '    rotation: { length: weekly, handoff: "09:00", start: 2024-01-01 }',
    '    participants: [U0BENCH001]',
    'escalation_policies:',
    '  bench:',
    '    levels:',
    ...levels,
    '    repeat: 0',
    'paging:',
    '  default_policy: bench',
    '  auto_page: []',
    '  allow_fast_escalation: true',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Report.

function report(options: Options, poolMax: number, engine: EngineResult, raw: RawResult): void {
  const levels = options.delaysMs.length;
  const engineAll = stats(engine.lateness);
  const rawAll = stats(raw.lateness);
  const ratio = engineAll.p99 / rawAll.p99;
  const meetsAbsolute = engineAll.p99 <= P99_TARGET_MS;
  const meetsRatio = ratio <= P99_TARGET_RATIO;
  const healthy =
    engine.incomplete === 0 && engine.duplicates === 0 && engine.startFailures === 0 && raw.missing === 0;
  const pass = meetsAbsolute && meetsRatio && healthy;

  console.log(
    `escalation lateness: ${options.escalations} concurrent escalations of ${levels} levels ` +
      `(delays ${options.delaysMs.join(', ')} ms; level 1 due at start), pool max ${poolMax}, ` +
      `timer worker concurrency ${TIMER_WORKER_CONCURRENCY}, start concurrency ${options.startConcurrency}; ` +
      `baseline: ${raw.chains} chains of raw BullMQ jobs with the same delays on a plain Worker (concurrency ${TIMER_WORKER_CONCURRENCY}), same Redis`,
  );
  const row = (name: string, s: Stats) => [name, String(s.count), fmt(s.p50), fmt(s.p99), fmt(s.max)];
  console.log(
    table([
      ['lateness (ms)', 'count', 'p50', 'p99', 'max'],
      row('engine: fired levels', engineAll),
      ...engine.byLevel.map((values, i) => row(`  level ${i + 1}`, stats(values))),
      row('  level 1 from the start request', stats(engine.levelOneFromRequest)),
      row('  exhaustion check', stats(engine.exhaustionLateness)),
      row('raw BullMQ: delayed jobs', rawAll),
      ...raw.byLevel.map((values, i) => row(`  job ${i + 1} of chain`, stats(values))),
    ]),
  );
  console.log(
    `engine: ${engine.lateness.length}/${engine.escalations * levels} levels fired (${fmt(engine.firedPerSecond)}/s from the first start to the last page); incomplete escalations ${engine.incomplete}; ` +
      `duplicate pages ${engine.duplicates}; not exhausted ${engine.notExhausted}; start failures ${engine.startFailures}; ` +
      `failed timer/send jobs ${engine.jobFailures}; timers re-enqueued by the reconciler ${engine.reconcilerTimers}; ` +
      `starts took ${engine.startSeconds.toFixed(2)} s, all done in ${engine.seconds.toFixed(2)} s`,
  );
  if (engine.firstStartError) console.log(`first start failure: ${engine.firstStartError}`);
  if (engine.incomplete > 0)
    console.log(`incomplete escalations (first incident ids): ${engine.incompleteIds.join(', ')}`);
  const fire = stats(engine.fireDurations);
  console.log(
    `engine decisions: fireStep (lock, decide, commit, enqueue) took p50 ${fmt(fire.p50)} ms, p99 ${fmt(fire.p99)} ms, max ${fmt(fire.max)} ms over ${fire.count} timer jobs; ` +
      `at most ${engine.maxPoolWaiting} callers waited for one of the pool's ${poolMax} connections`,
  );
  console.log(
    `raw: ${raw.lateness.length}/${raw.chains * levels} jobs processed; missing ${raw.missing}; add failures ${raw.addFailures}; done in ${raw.seconds.toFixed(2)} s`,
  );
  const cpu = (c: PhaseReading) =>
    `bench node ${cores(c.node)} (event loop ${(c.eventLoopUtilization * 100).toFixed(0)}% busy), ` +
    `Postgres ${cores(c.postgres)}, Redis ${cores(c.redis)}, other processes ${cores(c.other)}`;
  console.log(
    `cpu (average cores of ${availableParallelism()}): engine round ${cpu(engine.cpu)}; raw round ${cpu(raw.cpu)}`,
  );
  const perEscalation = (n: number) => (n / engine.escalations).toFixed(1);
  console.log(
    `work: engine ${perEscalation(engine.cpu.redisCommands)} Redis commands and ${perEscalation(engine.poolCheckouts)} pool checkouts ` +
      `(transactions) per escalation, ${(((engine.cpu.node + engine.cpu.postgres + engine.cpu.redis) * engine.cpu.seconds * 1000) / engine.escalations).toFixed(1)} ms CPU (node + Postgres + Redis) per escalation; ` +
      `raw ${(raw.cpu.redisCommands / raw.chains).toFixed(1)} Redis commands and ${(((raw.cpu.node + raw.cpu.redis) * raw.cpu.seconds * 1000) / raw.chains).toFixed(1)} ms CPU per chain`,
  );
  const busiest = Math.max(engine.cpu.other ?? 0, raw.cpu.other ?? 0);
  if (busiest > 0.3) {
    console.log(
      `warning: other processes kept ${busiest.toFixed(2)} cores busy during a round; the figures are likely inflated`,
    );
  }
  console.log(
    `p99 engine/raw: ${fmt(engineAll.p99)} / ${fmt(rawAll.p99)} ms = ${Number.isFinite(ratio) ? ratio.toFixed(2) : '-'}×  ` +
      `(target p99 ≤ ${P99_TARGET_MS} ms: ${meetsAbsolute ? 'met' : 'missed'}; ≤ ${P99_TARGET_RATIO}× raw: ${meetsRatio ? 'met' : 'missed'})  ` +
      `${pass ? 'PASS' : 'MISS'}${healthy ? '' : ' (incomplete, duplicate or failed work: see above)'}`,
  );
  console.log(
    JSON.stringify({
      bench: 'escalation',
      escalations: options.escalations,
      delaysMs: options.delaysMs,
      poolMax,
      timerConcurrency: TIMER_WORKER_CONCURRENCY,
      startConcurrency: options.startConcurrency,
      engine: {
        ...statsJson(engineAll),
        byLevel: engine.byLevel.map((v) => statsJson(stats(v))),
        levelOneFromRequest: statsJson(stats(engine.levelOneFromRequest)),
        firedPerSecond: round1(engine.firedPerSecond),
        exhaustionCheck: statsJson(stats(engine.exhaustionLateness)),
        poolCheckouts: engine.poolCheckouts,
        maxPoolWaiting: engine.maxPoolWaiting,
        fireStepMs: statsJson(fire),
        expected: engine.escalations * levels,
        incomplete: engine.incomplete,
        duplicates: engine.duplicates,
        notExhausted: engine.notExhausted,
        startFailures: engine.startFailures,
        failedJobs: engine.jobFailures,
        reconcilerTimers: engine.reconcilerTimers,
        startSec: round1(engine.startSeconds),
        totalSec: round1(engine.seconds),
        cpu: cpuJson(engine.cpu),
      },
      raw: {
        ...statsJson(rawAll),
        byLevel: raw.byLevel.map((v) => statsJson(stats(v))),
        expected: raw.chains * levels,
        missing: raw.missing,
        cpu: cpuJson(raw.cpu),
      },
      ratio: { p99: Number.isFinite(ratio) ? Math.round(ratio * 100) / 100 : null },
      target: { p99MaxMs: P99_TARGET_MS, p99MaxRatio: P99_TARGET_RATIO },
      pass,
    }),
  );
}

// ---------------------------------------------------------------------------------------------------
// Main.

async function main(): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const cleanups: Cleanups = [];
  try {
    const options = readOptions();
    const oncall = parseOncallConfig(oncallYaml(options.delaysMs), 'bench oncall.yaml');

    log('starting Postgres and Redis…');
    const [pgStarted, redisStarted] = await Promise.allSettled([
      // Durable as in production: every commit is flushed to disk.
      startPostgresServer({ durable: true }),
      startRedisServer(),
    ]);
    if (pgStarted.status === 'fulfilled') cleanups.push(['Postgres', () => pgStarted.value.destroy()]);
    if (redisStarted.status === 'fulfilled') cleanups.push(['Redis', () => redisStarted.value.stop()]);
    for (const settled of [pgStarted, redisStarted]) if (settled.status === 'rejected') throw settled.reason;
    const postgres = (pgStarted as PromiseFulfilledResult<PostgresServer>).value;
    const redis = (redisStarted as PromiseFulfilledResult<RedisServer>).value;
    const databaseUrl = await createDatabase(postgres.url(), 'bench');

    const pool = createPool(databaseUrl, { max: options.poolMax, applicationName: 'bench-escalation' });
    cleanups.push(['pool', () => pool.end()]);
    const poolMax = pool.options.max;
    let poolCheckouts = 0;
    pool.on('acquire', () => {
      poolCheckouts += 1;
    });
    await runMigrations(pool);
    // The benchmark's own reads go through a connection of their own, never the engine's pool.
    const client = new pg.Client({
      connectionString: databaseUrl,
      application_name: 'bench-escalation-reader',
    });
    await client.connect();
    cleanups.push(['reader', () => client.end()]);

    const producer = createProducerConnection(redis.url);
    cleanups.push(['producer connection', () => producer.quit()]);
    if (producer.status !== 'ready') await once(producer, 'ready');
    const connection = createWorkerConnection(redis.url);
    cleanups.push(['worker connection', async () => connection.disconnect()]);

    const { sink, stream } = warningSink();
    const logger = createLogger({ level: 'warn', destination: stream });
    const metrics = createMetrics();
    const { queues, service } = createBenchEngine({ pool, producer, prefix: QUEUE_PREFIX, logger, oncall });
    cleanups.push(['queues', () => queues.close()]);
    const reconciled = { timers: 0, pages: 0 };
    const fireDurations: number[] = [];
    const done = () => Promise.resolve();
    // Slack is not what is measured: sends and card refreshes succeed at once. Decisions are the real engine's.
    const jobs = {
      escalation: {
        ...service,
        fireStep: async (timer: Parameters<EscalationService['fireStep']>[0]) => {
          const began = performance.now();
          try {
            return await service.fireStep(timer);
          } finally {
            fireDurations.push(performance.now() - began);
          }
        },
      },
      pages: { sendPage: done, markAcknowledged: done },
      notifier: { noteInChannel: done, announceAcknowledged: done, announceExhausted: done },
      presenter: { refresh: done },
      retention: { run: done },
      reconciler: {
        async run() {
          const result = await service.reconcile();
          reconciled.timers += result.timers;
          reconciled.pages += result.pages;
        },
      },
    } as unknown as JobDeps;
    const workers = await startWorkers({
      connection,
      prefix: QUEUE_PREFIX,
      queues,
      pool,
      clock: systemClock,
      metrics,
      logger,
      jobs,
    });
    cleanups.push(['workers', () => workers.close()]);

    const rawRig = await startRawRig({
      producer,
      connection,
      prefix: QUEUE_PREFIX,
      concurrency: TIMER_WORKER_CONCURRENCY,
      cleanups,
      log,
    });

    const engineRig: EngineRig = {
      redis: producer,
      poolCheckouts: () => poolCheckouts,
      poolWaiting: () => pool.waitingCount,
      fireDurations,
      service,
      metrics,
      reconciled,
    };
    if (options.warmup > 0) {
      log(
        `warm-up: ${options.warmup} chains of raw jobs, then ${options.warmup} escalations (not reported)…`,
      );
      const raw = await runRawRound(rawRig, 0, options.warmup, options);
      const engine = await runEngineRound(engineRig, client, options.warmup, options);
      if (raw.missing > 0 || engine.incomplete > 0 || engine.startFailures > 0) {
        throw new Error(
          `warm-up did not complete: raw missing ${raw.missing}, engine incomplete ${engine.incomplete}, ` +
            `start failures ${engine.startFailures} (${engine.firstStartError ?? 'no error'}); warnings: ${sink.first.join(' | ')}`,
        );
      }
      await sleep(500);
    }

    log(`raw BullMQ: ${options.escalations} chains of ${options.delaysMs.length} jobs…`);
    const raw = await runRawRound(rawRig, 1, options.escalations, options);
    await sleep(500);
    log(`engine: ${options.escalations} escalations of ${options.delaysMs.length} levels…`);
    const warningsBefore = sink.count;
    const engine = await runEngineRound(engineRig, client, options.escalations, options);

    report(options, poolMax, engine, raw);
    const warnings = sink.count - warningsBefore;
    if (warnings > 0)
      console.log(
        `engine logged ${warnings} warnings or errors; first in the run: ${sink.first.join(' | ')}`,
      );
    if (options.rules) {
      const rules = { ...options, rules: options.rules };
      const context = { postgresUrl: postgres.url(), redisUrl: redis.url, producer, rawRig, cleanups, log };
      printRulesReport(rules, await runRulesBench(context, rules), {
        levels: options.delaysMs.length,
        lateness: stats(engine.lateness),
        perSecond: engine.firedPerSecond,
        raw: stats(raw.lateness),
      });
    }
    return 0;
  } catch (error) {
    console.error('escalation bench failed:', error);
    return 1;
  } finally {
    // Workers first (they need Redis and Postgres to finish), then queues, connections and the servers.
    for (const [name, cleanup] of cleanups.reverse()) {
      await cleanup().catch((error) => console.error(`could not stop ${name}:`, error));
    }
  }
}

process.exitCode = await main();
// Everything is closed; whatever still holds the event loop open must not keep the benchmark running.
setTimeout(() => {
  console.error('handles still open 3 s after shutdown; exiting');
  process.exit(process.exitCode ?? 0);
}, 3000).unref();
