/**
 * The 4-step rules round (issue #13): escalations whose person has notification rules over several
 * channels, fired by the real bot in a child process (rules-bot.ts) against local fakes
 * (provider-fakes.ts). This process starts the escalations with the real engine on the same Postgres
 * and Redis (one policy and one person per escalation), waits until every step is finished, and reads
 * what the bot recorded (`pages` for the Slack step, `deliveries` for the others) and what the fakes
 * received. Beside it, raw BullMQ chains with the same spacing, on the same Redis (the baseline).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { runMigrations } from '../../src/db/migrate.js';
import { createPool } from '../../src/db/pool.js';
import { parseOncallConfig } from '../../src/escalation/oncall-config.js';
import { createLogger } from '../../src/logger.js';
import { createDatabase } from '../../test/helpers/postgres-server.js';
import { sampleBackends } from '../alert-intake/backend-sampler.js';
import { createBenchEngine, createIncidents } from './bench-incidents.js';
import { type Cleanups, forEachLimited, type PhaseReading, sleep, startPhaseMeter } from './phase-meter.js';
import { type ProviderFakes, startProviderFakes } from './provider-fakes.js';
import { type RawResult, type RawRig, runRawRound } from './raw-round.js';
import { forkRulesBot } from './rules-bot.js';
import { type BenchRule, benchPerson, rulesOncallYaml } from './rules-config.js';
import { type RulesFigures, rulesFigures, type StepRecord, type StepStatus } from './rules-figures.js';

export interface RulesOptions {
  rules: BenchRule[];
  escalations: number;
  warmup: number;
  startConcurrency: number;
  timeoutSec: number;
}

export interface RulesResult {
  figures: RulesFigures;
  raw: RawResult;
  startFailures: number;
  firstStartError: string | null;
  startSeconds: number;
  /** First start → every step finished (or the timeout). */
  seconds: number;
  cpu: PhaseReading;
  /** Average cores the bot child used over the round. */
  botCores: number;
  /** The first few reasons a step failed, as recorded on its row. */
  failures: string[];
  /** Where the bot's Postgres sessions spent the round (pg_stat_activity samples), largest first. */
  backends: Array<[string, number]>;
}

const QUEUE_PREFIX = '{bench-rules}';
/** How long each person's level waits before giving up: well after the last step. */
const HOLD_AFTER_LAST_STEP_MS = 60_000;

/** Raw chains spaced as the rules: job k+1 due `after[k+1] − after[k]` after job k ran. */
export function chainDelays(rules: BenchRule[]): number[] {
  const afters = rules.map((r) => r.afterMs).sort((a, b) => a - b);
  return afters.map((after, i) => (afters[i + 1] ?? after) - after);
}

const PAGE_STATUS: Record<string, StepStatus> = { pending: 'pending', sent: 'sent', skipped: 'skipped' };

/** The Slack step is the page DM (a `pages` row); the other steps are `deliveries` rows. */
async function readSteps(client: pg.Client, ids: number[], rules: BenchRule[]): Promise<StepRecord[]> {
  const pages = await client.query<{ id: string; created: number; sent: number | null; status: string }>(
    `SELECT id, extract(epoch FROM created_at) * 1000 AS created, extract(epoch FROM sent_at) * 1000 AS sent, status
     FROM pages WHERE incident_id = ANY($1::bigint[])`,
    [ids],
  );
  const rows = await client.query<{
    page_id: string;
    step: number;
    channel: BenchRule['via'];
    target: string;
    status: StepStatus;
    due: number;
    sent: number | null;
  }>(
    `SELECT d.page_id, d.step, d.channel, d.target, d.status,
            extract(epoch FROM d.due_at) * 1000 AS due, extract(epoch FROM d.sent_at) * 1000 AS sent
     FROM deliveries d JOIN pages p ON p.id = d.page_id WHERE p.incident_id = ANY($1::bigint[])`,
    [ids],
  );
  const steps: StepRecord[] = rows.rows.map((r) => ({
    pageId: Number(r.page_id),
    step: r.step,
    channel: r.channel,
    target: r.target,
    status: r.status,
    dueAt: Number(r.due),
    sentAt: r.sent === null ? null : Number(r.sent),
  }));
  const planned = new Set(steps.map((s) => `${s.pageId} ${s.step}`));
  for (const page of pages.rows) {
    rules.forEach((rule, step) => {
      if (rule.via !== 'slack' || planned.has(`${page.id} ${step}`)) return;
      steps.push({
        pageId: Number(page.id),
        step,
        channel: 'slack',
        target: '',
        status: PAGE_STATUS[page.status] ?? 'failed',
        dueAt: Number(page.created) + rule.afterMs,
        sentAt: page.sent === null ? null : Number(page.sent),
      });
    });
  }
  return steps;
}

/** Whether every step has finished: each page DM (the Slack step) and every `deliveries` row. */
async function allFinished(client: pg.Client, ids: number[], rules: BenchRule[]): Promise<boolean> {
  const { rows } = await client.query<{ pages: number; steps: number }>(
    `SELECT (SELECT count(*) FROM pages WHERE incident_id = ANY($1::bigint[]) AND status <> 'pending')::int AS pages,
            (SELECT count(*) FROM deliveries d JOIN pages p ON p.id = d.page_id
             WHERE p.incident_id = ANY($1::bigint[]) AND d.status <> 'pending')::int AS steps`,
    [ids],
  );
  const others = rules.filter((r) => r.via !== 'slack').length;
  return rows[0]!.pages >= ids.length && rows[0]!.steps >= ids.length * others;
}

interface RoundRig {
  databaseUrl: string;
  client: pg.Client;
  fakes: ProviderFakes;
  service: ReturnType<typeof createBenchEngine>['service'];
  producer: Redis;
  botCpuMicros(): number;
}

async function runRound(
  rig: RoundRig,
  firstPerson: number,
  options: RulesOptions,
  count: number,
): Promise<Omit<RulesResult, 'raw'>> {
  const { client } = rig;
  const { rules } = options;
  const ids = await createIncidents(client, count, 'bench rules');
  const meter = await startPhaseMeter(rig.producer);
  const botBefore = rig.botCpuMicros();
  const since = Date.now();
  const sampler = await sampleBackends(rig.databaseUrl, 'incident-bot-');
  const t0 = performance.now();
  const startFailures = await forEachLimited(
    ids.map((id, i) => ({ id, policy: benchPerson(firstPerson + i).policy })),
    options.startConcurrency,
    async ({ id, policy }) => {
      if (!(await rig.service.start(id, { service: null, policy })))
        throw new Error(`incident ${id}: start() found no policy ${policy} or an escalation already`);
    },
  );
  const startSeconds = (performance.now() - t0) / 1000;
  const deadline = t0 + options.timeoutSec * 1000;
  while (performance.now() < deadline && !(await allFinished(client, ids, rules))) await sleep(250);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = await meter();
  const backends = await sampler.stop();
  const botCores = (rig.botCpuMicros() - botBefore) / 1e6 / cpu.seconds;
  // Let a late duplicate show up before the fakes are read.
  await sleep(500);
  const steps = await readSteps(client, ids, rules);
  const failed = await client.query<{ error: string }>(
    `SELECT DISTINCT d.error FROM deliveries d JOIN pages p ON p.id = d.page_id
     WHERE p.incident_id = ANY($1::bigint[]) AND d.status <> 'sent' AND d.error IS NOT NULL LIMIT 3`,
    [ids],
  );
  return {
    figures: rulesFigures(
      count,
      rules,
      steps,
      rig.fakes.arrivals().filter((a) => a.at >= since),
    ),
    startFailures: startFailures.length,
    firstStartError: startFailures.length ? String((startFailures[0] as Error)?.message) : null,
    startSeconds,
    seconds,
    cpu,
    botCores,
    failures: failed.rows.map((r) => r.error),
    backends,
  };
}

/**
 * Runs the rules round on `postgresUrl` (a database of its own) and `redisUrl` (queues of their own):
 * a warm-up of `warmup` escalations (not reported), the raw chains, then `escalations` escalations.
 */
export async function runRulesBench(
  context: {
    postgresUrl: string;
    redisUrl: string;
    producer: Redis;
    rawRig: RawRig;
    cleanups: Cleanups;
    log(line: string): void;
  },
  options: RulesOptions,
): Promise<RulesResult> {
  const { cleanups, log } = context;
  const people = options.warmup + options.escalations;
  const holdMs = Math.max(...options.rules.map((r) => r.afterMs)) + HOLD_AFTER_LAST_STEP_MS;
  const yaml = rulesOncallYaml(people, options.rules, holdMs);
  const dir = await mkdtemp(join(tmpdir(), 'bench-rules-'));
  cleanups.push(['rules oncall.yaml', () => rm(dir, { recursive: true, force: true })]);
  const oncallPath = join(dir, 'oncall.yaml');
  await writeFile(oncallPath, yaml);
  const oncall = parseOncallConfig(yaml, oncallPath);

  const databaseUrl = await createDatabase(context.postgresUrl, 'bench_rules');
  const pool = createPool(databaseUrl, { max: 10, applicationName: 'bench-rules-starts' });
  cleanups.push(['rules pool', () => pool.end()]);
  await runMigrations(pool);
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-rules-reader' });
  await client.connect();
  cleanups.push(['rules reader', () => client.end()]);

  const userIds = Array.from({ length: people }, (_, i) => benchPerson(i + 1).userId);
  const fakes = await startProviderFakes(cleanups, userIds);
  log(`rules round: starting the bot (worker role) in a child process for ${people} people…`);
  const bot = forkRulesBot({
    env: { ...fakes.env, DATABASE_URL: databaseUrl, REDIS_URL: context.redisUrl, ONCALL_CONFIG: oncallPath },
    queuePrefix: QUEUE_PREFIX,
  });
  cleanups.push(['rules bot', () => bot.stop()]);
  await bot.ready();

  const logger = createLogger({ level: 'error' });
  const { queues, service } = createBenchEngine({
    pool,
    producer: context.producer,
    prefix: QUEUE_PREFIX,
    logger,
    oncall,
  });
  cleanups.push(['rules queues', () => queues.close()]);
  const rig: RoundRig = {
    databaseUrl,
    client,
    fakes,
    service,
    producer: context.producer,
    botCpuMicros: bot.cpuMicros,
  };
  const shape = {
    delaysMs: chainDelays(options.rules),
    startConcurrency: options.startConcurrency,
    timeoutSec: options.timeoutSec,
  };
  if (options.warmup > 0) {
    log(`rules round warm-up: ${options.warmup} escalations (not reported)…`);
    await runRound(rig, 1, options, options.warmup);
    await runRawRound(context.rawRig, 10, options.warmup, shape);
    await sleep(500);
  }
  log(`raw BullMQ: ${options.escalations} chains spaced as the ${options.rules.length} steps…`);
  const raw = await runRawRound(context.rawRig, 11, options.escalations, shape);
  await sleep(500);
  log(`rules round: ${options.escalations} escalations of ${options.rules.length} steps each…`);
  const result = await runRound(rig, options.warmup + 1, options, options.escalations);
  return { ...result, raw };
}
