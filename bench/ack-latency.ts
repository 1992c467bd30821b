/**
 * Ack latency of `/incident help`: a fixed-rate load of signed slash commands against the real bot and,
 * in the same run, against a bare Bolt app that only acks (the baseline), so the ratio holds on a noisy
 * machine. Target from the issue: at 200 req/s the bot's p99 is at most 1.5× the bare app's.
 *
 *   npx tsx bench/ack-latency.ts [--rate 200] [--duration 20] [--warmup 3] [--settle 7] [--rounds 2]
 *                                [--connections 20] [--cpu-prof DIR]
 *
 * (or ACK_BENCH_RATE, ACK_BENCH_DURATION, ACK_BENCH_WARMUP, ACK_BENCH_SETTLE, ACK_BENCH_ROUNDS,
 * ACK_BENCH_CONNECTIONS). Every round starts with `warmup` seconds of load that are not measured; a
 * target's first round with `settle` more, because a freshly started process spends its first half minute
 * or so optimising code and shrinking its heap, more so for the bot than for the bare app, and that
 * start-up cost is not the steady-state overhead this benchmark is about.
 *
 * Each target runs in its own child process (this file again, with ACK_BENCH_TARGET set), so neither
 * shares an event loop with the load generator or with the other target. The parent owns Postgres, Redis
 * and the local Slack; the bot child connects to them like the real deployment does.
 *
 * Load: autocannon with `overallRate`. Note how autocannon paces: every connection may send its share
 * (rate / connections) per second, back to back, as soon as its one-second window opens; so the load is
 * `connections` concurrent requests at the start of each second, not one request every 1/rate s.
 * Latencies are recorded here from autocannon's `response` event (float ms, measured from the moment the
 * request was written), not from autocannon's histogram, which keeps whole milliseconds and whose
 * coordinated-omission correction assumes a 1 ms interval at these rates.
 *
 * Benchmarks report; they do not assert. Exit 1 only if something failed to start or run.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type SlackFake, signSlackRequest } from '@incident-bot/local-slack';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type autocannonType from 'autocannon';
import type { PostgresServer } from '../test/helpers/postgres-server.js';
import type { RedisServer } from '../test/helpers/redis-server.js';
import { type ChildStatus, childReady, startChildTarget, stopChild } from './child-target.js';
import { machineBusyMicros, table } from './shared.js';

// Everything else is imported where it is used, so the bare child loads Bolt and nothing of the bot,
// and neither child loads the load generator.

const TARGETS = ['bare', 'bot'] as const;
type Target = (typeof TARGETS)[number];

const SIGNING_SECRET = 'bench-signing-secret-0123456789';
const BOT_TOKEN = 'xoxb-sandbox-token';
const P99_TARGET_RATIO = 1.5;

/** Parent → child: a request id and what to do; child → parent: `ready`, `failed` or an answer. */
type ToChild = { id: number; op: 'usage' | 'stop' };
type FromChild = ChildStatus | { type: 'answer'; id: number; usage: Usage };

/** A child's CPU time and garbage collection so far; `gcMaxPauseMs` is since the previous query. */
interface Usage {
  cpuMicros: number;
  gcMs: number;
  gcMaxPauseMs: number;
}

interface ChildConfig {
  databaseUrl: string;
  redisUrl: string;
  slackApiUrl: string;
}

// ---------------------------------------------------------------------------------------------------
// Child: serve one target until the parent says stop.

async function serveTarget(target: Target, config: ChildConfig): Promise<void> {
  const shutdown = await startChildTarget(target, () =>
    target === 'bot' ? startRealBot(config) : startBareApp(),
  );
  if (!shutdown) return;
  let gcMs = 0;
  let gcMaxPauseMs = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      gcMaxPauseMs = Math.max(gcMaxPauseMs, entry.duration);
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  process.on('message', (message: ToChild) => {
    if (message.op === 'usage') {
      const { user, system } = process.cpuUsage();
      send({ type: 'answer', id: message.id, usage: { cpuMicros: user + system, gcMs, gcMaxPauseMs } });
      gcMaxPauseMs = 0;
    } else if (message.op === 'stop') {
      gcObserver.disconnect();
      void shutdown();
    }
  });
}

function send(message: FromChild): void {
  process.send?.(message);
}

async function startRealBot(config: ChildConfig): Promise<{ url: string; stop(): Promise<void> }> {
  const [{ startBot }, { loadConfig }, { createLogger }] = await Promise.all([
    import('../src/bot.js'),
    import('../src/config.js'),
    import('../src/logger.js'),
  ]);
  const botConfig = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: config.slackApiUrl,
    DATABASE_URL: config.databaseUrl,
    REDIS_URL: config.redisUrl,
    PORT: '0',
    LOG_LEVEL: 'silent',
  });
  const bot = await startBot({
    config: botConfig,
    // The web role is what answers Slack in a deployment (docker-compose runs workers apart);
    // ACK_BENCH_ROLE=all measures the single-process `npm start` instead.
    role: process.env.ACK_BENCH_ROLE === 'all' ? 'all' : 'web',
    logger: createLogger({ level: 'silent' }),
    queuePrefix: `{bench-${randomBytes(4).toString('hex')}}`,
    host: '127.0.0.1',
  });
  return { url: `${bot.url}/slack/events`, stop: () => bot.stop() };
}

/** Bolt as its README shows it, with the bot's receiver settings: same signature check, no store. */
async function startBareApp(): Promise<{ url: string; stop(): Promise<void> }> {
  const receiver = new HTTPReceiver({
    signingSecret: SIGNING_SECRET,
    processBeforeResponse: false,
    logLevel: LogLevel.ERROR,
  });
  const app = new App({
    receiver,
    token: BOT_TOKEN,
    botId: 'B1',
    botUserId: 'U1',
    tokenVerificationEnabled: false,
    convoStore: false,
    logLevel: LogLevel.ERROR,
  });
  app.command('/incident', async ({ ack }) => {
    await ack({ response_type: 'ephemeral', text: 'ok' });
  });
  const server = await receiver.start({ port: 0, host: '127.0.0.1' });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('bare app: no listening address');
  return {
    url: `http://127.0.0.1:${address.port}/slack/events`,
    stop: async () => {
      await receiver.stop();
      server.closeAllConnections();
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Parent: resources, children, load, report.

interface Options {
  rate: number;
  duration: number;
  warmup: number;
  settle: number;
  rounds: number;
  connections: number;
  cpuProfDir: string | undefined;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      settle: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
    strict: true,
  });
  const env = process.env;
  const number = (name: string, flag: string | undefined, fallback: string | undefined, dflt: number) => {
    const raw = flag ?? fallback;
    if (raw === undefined || raw === '') return dflt;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || (value === 0 && name !== 'settle'))
      throw new Error(`--${name} must be a positive number`);
    return value;
  };
  return {
    rate: Math.round(number('rate', values.rate, env.ACK_BENCH_RATE, 200)),
    duration: number('duration', values.duration, env.ACK_BENCH_DURATION, 20),
    warmup: number('warmup', values.warmup, env.ACK_BENCH_WARMUP, 3),
    settle: number('settle', values.settle, env.ACK_BENCH_SETTLE, 7),
    rounds: Math.round(number('rounds', values.rounds, env.ACK_BENCH_ROUNDS, 2)),
    connections: Math.round(number('connections', values.connections, env.ACK_BENCH_CONNECTIONS, 20)),
    cpuProfDir: values['cpu-prof'],
  };
}

class TargetProcess {
  readonly child: ChildProcess;
  url = '';
  private nextId = 1;
  private readonly pending = new Map<number, (message: FromChild & { type: 'answer' }) => void>();
  private readonly exited: Promise<number | null>;

  constructor(
    readonly target: Target,
    config: ChildConfig,
    cpuProfDir: string | undefined,
  ) {
    const execArgv = [...process.execArgv];
    // One directory per target: Node writes a profile per thread (tsx's loader runs in one too).
    if (cpuProfDir) execArgv.push('--cpu-prof', '--cpu-prof-dir', join(cpuProfDir, target));
    this.child = fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, ACK_BENCH_TARGET: target, ACK_BENCH_CONFIG: JSON.stringify(config) },
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.on('message', (message: FromChild) => {
      if (message.type === 'answer') {
        this.pending.get(message.id)?.(message);
        this.pending.delete(message.id);
      }
    });
  }

  async ready(timeoutMs = 60_000): Promise<void> {
    this.url = await childReady(this.child, this.target, timeoutMs);
  }

  private ask(op: ToChild['op']): Promise<FromChild & { type: 'answer' }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, resolve);
      this.child.send({ id, op } satisfies ToChild, (error) => error && reject(error));
    });
  }

  async usage(): Promise<Usage> {
    return (await this.ask('usage')).usage;
  }

  /** Asks the child to stop; kills it if it has not exited within `timeoutMs`. */
  stop(timeoutMs = 15_000): Promise<void> {
    const message = { id: this.nextId++, op: 'stop' } satisfies ToChild;
    return stopChild(this.child, this.exited, this.target, message, timeoutMs);
  }
}

function slashCommandBody(fake: SlackFake, userId: string, userName: string): string {
  const general = fake.getChannel('general');
  if (!general) throw new Error('the local Slack has no #general');
  return new URLSearchParams({
    token: 'sandbox-verification-token',
    team_id: fake.config.teamId,
    team_domain: fake.config.teamDomain,
    channel_id: general.id,
    channel_name: general.name ?? 'general',
    user_id: userId,
    user_name: userName,
    command: '/incident',
    text: 'help',
    api_app_id: fake.config.appId,
    is_enterprise_install: 'false',
    response_url: fake.createResponseUrl({ channelId: general.id, userId }),
    trigger_id: fake.issueTriggerId(userId),
  }).toString();
}

/** Exactly Slack's headers: the form type without a charset, a fresh timestamp and its signature. */
function signedHeaders(body: string): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signSlackRequest(SIGNING_SECRET, timestamp, body),
  };
}

/** One request before any load, so an error path is never what gets measured. */
async function verifyAnswer(target: TargetProcess, body: string, expected: string): Promise<void> {
  const response = await fetch(target.url, { method: 'POST', headers: signedHeaders(body), body });
  const text = await response.text();
  let parsed: { response_type?: unknown; text?: unknown } | null = null;
  try {
    parsed = JSON.parse(text);
  } catch {}
  if (response.status !== 200 || parsed?.response_type !== 'ephemeral' || parsed.text !== expected) {
    throw new Error(
      `${target.target} answered ${response.status} ${text.slice(0, 300)}; expected 200 and an ephemeral ${JSON.stringify(expected.slice(0, 40))}…`,
    );
  }
}

/** CPU accounting at one instant: the machine, this process and every target child. */
interface Snapshot {
  machine: number | null;
  parent: number;
  children: Map<Target, Usage>;
}

async function snapshot(targets: TargetProcess[]): Promise<Snapshot> {
  const usages = await Promise.all(targets.map(async (t) => [t.target, await t.usage()] as const));
  const { user, system } = process.cpuUsage();
  return { machine: machineBusyMicros(), parent: user + system, children: new Map(usages) };
}

interface RoundResult {
  target: Target;
  round: number;
  latenciesMs: number[];
  responses: number;
  non2xx: number;
  errors: number;
  mismatches: number;
  seconds: number;
  /** CPU the target spent in the measured window. */
  cpuMicros: number;
  gcMs: number;
  gcMaxPauseMs: number;
  /** Cores busy with anything but this benchmark's Node processes (Postgres, Redis, other jobs, steal). */
  otherCores: number | null;
}

/** `expected`: a fragment every answer body must contain; other answers count as mismatches. */
async function runRound(
  autocannon: typeof autocannonType,
  targets: TargetProcess[],
  target: TargetProcess,
  round: number,
  body: string,
  expected: string,
  warmup: number,
  options: Options,
): Promise<RoundResult> {
  const latenciesMs: number[] = [];
  let responses = 0;
  let non2xx = 0;
  let errors = 0;
  let mismatches = 0;
  await target.usage(); // resets the child's max-pause counter
  const started = performance.now();
  const measureFrom = started + warmup * 1000;
  const measureTo = measureFrom + options.duration * 1000;
  const inWindow = () => {
    const now = performance.now();
    return now >= measureFrom && now < measureTo;
  };
  let first: Promise<Snapshot> | undefined;
  const warmupTimer = setTimeout(() => {
    first = snapshot(targets);
  }, warmup * 1000);
  let last: Promise<Snapshot> | undefined;
  const endTimer = setTimeout(
    () => {
      last = snapshot(targets);
    },
    (warmup + options.duration) * 1000,
  );

  let finished!: (error: Error | null) => void;
  const done = new Promise<void>((resolve, reject) => {
    finished = (error) => (error ? reject(error) : resolve());
  });
  const instance = autocannon(
    {
      url: target.url,
      method: 'POST',
      headers: signedHeaders(body),
      body,
      connections: options.connections,
      overallRate: options.rate,
      duration: warmup + options.duration,
      timeout: 10,
      ignoreCoordinatedOmission: true,
      verifyBody: (responseBody) => {
        const ok = String(responseBody).includes(expected);
        if (!ok && inWindow()) mismatches += 1;
        return ok;
      },
    },
    (error) => finished(error ?? null),
  );
  instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    if (!inWindow()) return;
    responses += 1;
    if (statusCode < 200 || statusCode >= 300) non2xx += 1;
    latenciesMs.push(responseTimeMs);
  });
  instance.on('reqError', () => {
    if (inWindow()) errors += 1;
  });
  await done;
  clearTimeout(warmupTimer);
  clearTimeout(endTimer);
  const [from, to] = await Promise.all([first ?? snapshot(targets), last ?? snapshot(targets)]);
  const seconds = (Math.min(performance.now(), measureTo) - measureFrom) / 1000;
  const own =
    to.parent - from.parent + targets.reduce((total, t) => total + cpuOf(to, t) - cpuOf(from, t), 0);
  const used = (t: TargetProcess) => ({ from: from.children.get(t.target)!, to: to.children.get(t.target)! });
  const mine = used(target);
  return {
    target: target.target,
    round,
    latenciesMs,
    responses,
    non2xx,
    errors,
    mismatches,
    seconds,
    cpuMicros: mine.to.cpuMicros - mine.from.cpuMicros,
    gcMs: mine.to.gcMs - mine.from.gcMs,
    gcMaxPauseMs: mine.to.gcMaxPauseMs,
    otherCores:
      from.machine === null || to.machine === null
        ? null
        : Math.max(0, to.machine - from.machine - own) / (seconds * 1e6),
  };
}

function cpuOf(s: Snapshot, t: TargetProcess): number {
  return s.children.get(t.target)?.cpuMicros ?? 0;
}

interface Summary {
  target: Target;
  /** The round number, or 'all' for the pooled figures. */
  round: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  max: number;
  responses: number;
  non2xx: number;
  errors: number;
  mismatches: number;
  cpuMicrosPerReq: number;
  gcMs: number;
  gcMaxPauseMs: number;
  otherCores: number | null;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Pools rounds: every measured response counts once in one set of percentiles. */
function summarize(target: Target, round: string, rounds: RoundResult[]): Summary {
  const sorted = rounds.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  const sum = (pick: (r: RoundResult) => number) => rounds.reduce((total, r) => total + pick(r), 0);
  const responses = sum((r) => r.responses);
  const seconds = sum((r) => r.seconds);
  const others = rounds.map((r) => r.otherCores);
  return {
    target,
    round,
    reqPerSec: responses / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    responses,
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    mismatches: sum((r) => r.mismatches),
    cpuMicrosPerReq: responses > 0 ? sum((r) => r.cpuMicros) / responses : Number.NaN,
    gcMs: sum((r) => r.gcMs),
    gcMaxPauseMs: Math.max(...rounds.map((r) => r.gcMaxPauseMs)),
    otherCores: others.some((o) => o === null) ? null : sum((r) => (r.otherCores ?? 0) * r.seconds) / seconds,
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

async function main(): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const cleanups: Array<[string, () => Promise<unknown>]> = [];
  try {
    const options = readOptions();
    const [{ default: autocannon }, { createSlackFake }, { USAGE }, postgresHelpers, { startRedisServer }] =
      await Promise.all([
        import('autocannon'),
        import('@incident-bot/local-slack'),
        import('../src/slack/commands/parse-command.js'),
        import('../test/helpers/postgres-server.js'),
        import('../test/helpers/redis-server.js'),
      ]);
    const { startPostgresServer, createDatabase } = postgresHelpers;
    // What each target answers to `/incident help`: the whole text, and a fragment checked on every answer.
    const answers: Record<Target, { text: string; fragment: string }> = {
      bare: { text: 'ok', fragment: '"text":"ok"' },
      bot: { text: USAGE, fragment: USAGE.split('\n')[0]! },
    };
    log('starting Postgres, Redis and the local Slack…');
    const fake = createSlackFake();
    const [pg, rd, fk] = await Promise.allSettled([startPostgresServer(), startRedisServer(), fake.start()]);
    if (pg.status === 'fulfilled') cleanups.push(['Postgres', () => pg.value.destroy()]);
    if (rd.status === 'fulfilled') cleanups.push(['Redis', () => rd.value.stop()]);
    if (fk.status === 'fulfilled') cleanups.push(['local Slack', () => fake.stop()]);
    for (const settled of [pg, rd, fk]) if (settled.status === 'rejected') throw settled.reason;
    const postgres = (pg as PromiseFulfilledResult<PostgresServer>).value;
    const redis = (rd as PromiseFulfilledResult<RedisServer>).value;
    const databaseUrl = await createDatabase(postgres.url(), 'bench');
    const user = fake.addUser({ name: 'bench', email: 'bench@acme.test' });
    const body = slashCommandBody(fake, user.id, user.name);
    const config: ChildConfig = { databaseUrl, redisUrl: redis.url, slackApiUrl: fake.apiUrl };

    log('starting the bare Bolt app and the bot (one child process each)…');
    const targets = TARGETS.map((target) => {
      const child = new TargetProcess(target, config, options.cpuProfDir);
      cleanups.push([target, () => child.stop()]);
      return child;
    });
    await Promise.all(targets.map((t) => t.ready()));
    for (const t of targets) await verifyAnswer(t, body, answers[t.target].text);

    // ABBA order (bare, bot, bot, bare, …) so drift over the run falls on both targets alike.
    const order: TargetProcess[] = [];
    for (let round = 0; round < options.rounds; round++) {
      order.push(...(round % 2 === 0 ? targets : [...targets].reverse()));
    }
    const results: RoundResult[] = [];
    for (const target of order) {
      const round = results.filter((r) => r.target === target.target).length + 1;
      const warmup = options.warmup + (round === 1 ? options.settle : 0);
      log(`${target.target} round ${round}/${options.rounds}: ${warmup} s warm-up + ${options.duration} s…`);
      const expected = answers[target.target].fragment;
      results.push(await runRound(autocannon, targets, target, round, body, expected, warmup, options));
    }

    const perRound = results.map((r) => summarize(r.target, String(r.round), [r]));
    const [bare, bot] = TARGETS.map((t) =>
      summarize(
        t,
        'all',
        results.filter((r) => r.target === t),
      ),
    ) as [Summary, Summary];
    const p50Ratio = bot.p50 / bare.p50;
    const p99Ratio = bot.p99 / bare.p99;
    const met = p99Ratio <= P99_TARGET_RATIO;
    console.log(
      `ack latency of signed \`/incident help\` at ${options.rate} req/s (autocannon overallRate over ${options.connections} connections: a burst per connection each second); ` +
        `${options.rounds} round(s) per target of ${options.duration} s measured after ${options.warmup} s warm-up (first round ${options.warmup + options.settle} s), order ${order.map((t) => t.target).join(',')}; ` +
        "round 'all' pools every measured response of a target",
    );
    console.log(
      table(
        [
          [
            'target',
            'round',
            'req/s',
            'p50 ms',
            'p99 ms',
            'max ms',
            'non-2xx',
            'errors',
            'mismatch',
            'cpu µs/req',
            'gc ms',
            'gc max ms',
            'other cores',
          ],
          ...[...perRound, bare, bot].map((s) => [
            s.target,
            s.round,
            s.reqPerSec.toFixed(1),
            s.p50.toFixed(2),
            s.p99.toFixed(2),
            s.max.toFixed(2),
            String(s.non2xx),
            String(s.errors),
            String(s.mismatches),
            s.cpuMicrosPerReq.toFixed(0),
            s.gcMs.toFixed(0),
            s.gcMaxPauseMs.toFixed(1),
            s.otherCores === null ? '-' : s.otherCores.toFixed(2),
          ]),
        ],
        2,
      ),
    );
    console.log(
      'cpu µs/req: the target process per measured response; gc: its collection time and longest pause; ' +
        "other cores: the machine's busy CPU outside this benchmark's Node processes (Postgres, Redis, other jobs)",
    );
    console.log(
      `ratio bot/bare (pooled): p50 ${p50Ratio.toFixed(2)}  p99 ${p99Ratio.toFixed(2)}  (target p99 ≤ ${P99_TARGET_RATIO})  ${met ? 'PASS' : 'MISS'}`,
    );
    const faults = bare.non2xx + bare.errors + bare.mismatches + bot.non2xx + bot.errors + bot.mismatches;
    if (faults > 0)
      console.log(`warning: ${faults} non-2xx, errored or mismatched responses; the figures are suspect`);
    const busiest = Math.max(...perRound.map((s) => s.otherCores ?? 0));
    if (busiest > 0.3)
      console.log(
        `warning: up to ${busiest.toFixed(2)} cores were busy with other work during a round; tails are likely inflated`,
      );
    const json = (s: Summary) => ({
      reqPerSec: round2(s.reqPerSec),
      p50Ms: round2(s.p50),
      p99Ms: round2(s.p99),
      maxMs: round2(s.max),
      responses: s.responses,
      non2xx: s.non2xx,
      errors: s.errors,
      mismatches: s.mismatches,
      cpuMicrosPerReq: Math.round(s.cpuMicrosPerReq),
      gcMs: round2(s.gcMs),
      gcMaxPauseMs: round2(s.gcMaxPauseMs),
      otherCores: s.otherCores === null ? null : round2(s.otherCores),
    });
    console.log(
      JSON.stringify({
        bench: 'ack-latency',
        rate: options.rate,
        durationSec: options.duration,
        warmupSec: options.warmup,
        settleSec: options.settle,
        rounds: options.rounds,
        connections: options.connections,
        aggregation: 'pooled',
        bare: json(bare),
        bot: json(bot),
        perRound: perRound.map((s) => ({ target: s.target, round: Number(s.round), ...json(s) })),
        ratio: { p50: round2(p50Ratio), p99: round2(p99Ratio) },
        targetP99Ratio: P99_TARGET_RATIO,
        pass: met,
      }),
    );
    return 0;
  } catch (error) {
    console.error('ack-latency bench failed:', error);
    return 1;
  } finally {
    // Children first (the bot needs Postgres and Redis to close cleanly), then the services.
    for (const [name, cleanup] of cleanups.reverse()) {
      await cleanup().catch((error) => console.error(`could not stop ${name}:`, error));
    }
  }
}

const childTarget = process.env.ACK_BENCH_TARGET as Target | undefined;
if (childTarget) {
  await serveTarget(childTarget, JSON.parse(process.env.ACK_BENCH_CONFIG ?? '{}') as ChildConfig);
} else {
  process.exitCode = await main();
}
