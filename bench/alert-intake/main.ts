/**
 * Alert intake under load: a fixed-rate, open-loop stream of PagerDuty Events v2 triggers against the
 * bot's `/v2/enqueue`, and in the same run against a baseline (a bare Node HTTP server that validates
 * the same JSON with the bot's own parser and does one INSERT per event into the same Postgres: the
 * floor for a durable accept),
 * so the ratios hold on a noisy machine. Targets from issue #12: ≥ 1,000 events/s on a 2-core machine
 * with 0 lost events (rows counted), accept p99 ≤ 2× the baseline's, accept → page DM p99 ≤ 1 s.
 *
 *   npm run bench:alert-intake -- [--rate 1000] [--events 10000] [--keys 500] [--services 100]
 *                                 [--warmup 2000] [--role all|split] [--cpu-prof DIR]
 *
 * Two measured runs, each first against the baseline and then against the bot: `--events` events over
 * `--keys` dedup keys (repeats: counted on the open alert, nobody paged again), then `--events` events
 * with every key distinct (each a new alert). Each run has `--services` services of its own, each with
 * its own alert key (= routing_key); a service's first alert opens a group and pages Bob, its later new
 * alerts join that group (paging.group_window), so a run pages `--services` times. A warm-up of
 * `--warmup` events against each target comes first and is not reported.
 *
 * Figures: accepted events/s (accepted ÷ first due time to last answer); accept latency p50/p99/max
 * measured from when each request was due (open loop: a slow answer does not delay the next request,
 * so queueing shows); rows holding the accepted events (the bot: `alert_events`; the baseline: its
 * table) and what is lost; open alerts and their counts; for each group the bot opened, its first
 * event's 202 → its page DM sent (`pages.sent_at`, the local Slack took the DM); each target's CPU
 * per event. Postgres is durable as in production (fsync on, every commit flushed); the bot runs as
 * `npm start` does (`--role all`: web and workers in one process; `--role split`: a web and a worker
 * process, as docker-compose.yml deploys them). Each target runs in a process of
 * its own; the load generator and the local Slack share this one.
 *
 * Benchmarks report; they do not assert. Exit 1 only if something failed to start or run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSlackFake } from '@incident-bot/local-slack';
import pg from 'pg';
import { createDatabase, startPostgresServer } from '../../test/helpers/postgres-server.js';
import { startRedisServer } from '../../test/helpers/redis-server.js';
import { runBench } from '../shared.js';
import { measureRound } from './measure.js';
import { loadAverage, printReport, type RoundFigures } from './report.js';
import { type TargetConfig, TargetProcess } from './targets.js';
import { benchOncallYaml, benchServices, buildWorkload } from './workload.js';

const TARGETS = { perSecond: 1000, p99Ratio: 2, acceptToPageP99Ms: 1000 };

interface Options {
  rate: number;
  events: number;
  keys: number;
  services: number;
  warmup: number;
  role: 'all' | 'split';
  cpuProfDir: string | undefined;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string' },
      events: { type: 'string' },
      keys: { type: 'string' },
      services: { type: 'string' },
      warmup: { type: 'string' },
      role: { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
    strict: true,
  });
  const int = (name: string, raw: string | undefined, dflt: number, min: number) => {
    if (raw === undefined) return dflt;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return value;
  };
  const role = values.role ?? 'all';
  if (role !== 'all' && role !== 'split')
    throw new Error(
      '--role must be `all` (web and workers in one process) or `split` (a web and a worker process)',
    );
  return {
    rate: int('rate', values.rate, 1000, 1),
    events: int('events', values.events, 10_000, 1),
    keys: int('keys', values.keys, 500, 1),
    services: int('services', values.services, 100, 1),
    warmup: int('warmup', values.warmup, 2000, 0),
    role,
    cpuProfDir: values['cpu-prof'],
  };
}

async function main(cleanups: Array<[string, () => Promise<unknown>]>): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const options = readOptions();
  const loadBefore = loadAverage();
  log('starting Postgres (durable), Redis and the local Slack…');
  const fake = createSlackFake();
  const [pgStarted, redisStarted] = await Promise.allSettled([
    startPostgresServer({ durable: true }),
    startRedisServer(),
    fake.start(),
  ]);
  if (pgStarted.status === 'fulfilled') cleanups.push(['Postgres', () => pgStarted.value.destroy()]);
  if (redisStarted.status === 'fulfilled') cleanups.push(['Redis', () => redisStarted.value.stop()]);
  cleanups.push(['local Slack', () => fake.stop()]);
  if (pgStarted.status === 'rejected') throw pgStarted.reason;
  if (redisStarted.status === 'rejected') throw redisStarted.reason;
  const databaseUrl = await createDatabase(pgStarted.value.url(), 'bench');
  const bob = fake.addUser({ name: 'bob', email: 'bob@acme.test', tz: 'UTC' });

  const keysRun = `k${options.keys}`;
  const workloads = {
    warmup: buildWorkload(
      'w',
      benchServices('w', options.services),
      options.warmup,
      Math.min(options.warmup, options.keys),
    ),
    keys: buildWorkload(keysRun, benchServices(keysRun, options.services), options.events, options.keys),
    distinct: buildWorkload('d', benchServices('d', options.services), options.events, options.events),
  };
  const services = Object.values(workloads).flatMap((w) => w.services);
  const oncallPath = join(await mkdtemp(join(tmpdir(), 'bench-alert-intake-')), 'oncall.yaml');
  await writeFile(oncallPath, benchOncallYaml(bob.id, services));

  log('starting the bot and the baseline server (one child process each)…');
  const config: TargetConfig = {
    databaseUrl,
    redisUrl: redisStarted.value.url,
    slackApiUrl: fake.apiUrl,
    oncallPath,
    routingKeys: services.map((s) => s.alertKey),
    role: options.role === 'split' ? 'web' : 'all',
    queuePrefix: `{bench-${randomBytes(4).toString('hex')}}`,
  };
  const bot = new TargetProcess('bot', config, options.cpuProfDir);
  cleanups.push(['bot', () => bot.stop()]);
  // The bot first: it runs the migrations the baseline's database shares.
  await bot.ready();
  // --role split: the workers (page sends, refreshes, timers) in a process of their own, as the
  // compose file deploys them; the bot's CPU is then both processes'.
  const workers: TargetProcess[] = [];
  if (options.role === 'split') {
    const worker = new TargetProcess('bot', { ...config, role: 'worker' }, options.cpuProfDir);
    cleanups.push(['bot workers', () => worker.stop()]);
    await worker.ready();
    workers.push(worker);
  }
  const baseline = new TargetProcess('baseline', config, options.cpuProfDir);
  cleanups.push(['baseline', () => baseline.stop()]);
  await baseline.ready();
  const reader = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-reader' });
  await reader.connect();
  cleanups.push(['reader', () => reader.end()]);

  const round = (target: TargetProcess, workload: (typeof workloads)['keys']) =>
    measureRound({
      target,
      companions: target === bot ? workers : [],
      workload,
      rate: options.rate,
      reader,
      databaseUrl,
      slack: fake,
      log,
    });
  if (options.warmup > 0) {
    log(`warm-up: ${options.warmup} events against each target (not reported)…`);
    for (const target of [baseline, bot]) {
      const figures = await round(target, workloads.warmup);
      // An answer other than 202 is a set-up problem (a key, the config): stop. Missing answers
      // (timeouts) are the load's doing: say so, and measure anyway.
      const answered = [...figures.refused].find(([status]) => status !== 0);
      if (answered)
        throw new Error(`${target.name} refused warm-up events (${answered[0]}): ${answered[1].first}`);
      const missing = figures.refused.get(0);
      if (missing) log(`  ${target.name}: ${missing.count} warm-up events not answered (${missing.first})`);
    }
  }
  const rounds: RoundFigures[] = [];
  for (const workload of [workloads.keys, workloads.distinct]) {
    for (const target of [baseline, bot]) {
      log(
        `${target.name}: run ${workload.run}, ${workload.requests.length} events over ${workload.keys} keys at ${options.rate}/s…`,
      );
      rounds.push(await round(target, workload));
    }
  }
  const header =
    `alert intake: PagerDuty Events v2 triggers to /v2/enqueue at a fixed ${options.rate}/s (open loop, latency from each event's due time), ` +
    `${options.events} events per run over ${options.services} services; run ${keysRun}: ${options.keys} dedup keys, run d: every key distinct; ` +
    `baseline: bare Node HTTP + the bot's PagerDuty parser + one INSERT per event, same Postgres (durable); bot role ${options.role}; ${availableParallelism()} cores`;
  printReport(
    header,
    rounds,
    { rate: options.rate, ...TARGETS },
    { before: loadBefore, after: loadAverage() },
  );
}

await runBench('alert-intake', main);
