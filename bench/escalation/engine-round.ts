/**
 * The escalation bench's single-channel round: escalations started at once on the real engine, every
 * level's page timed against when it was due (see bench/escalation.ts for the definitions).
 */
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { EscalationService } from '../../src/escalation/escalation-service.js';
import type { Metrics } from '../../src/http/metrics.js';
import { createIncidents } from './bench-incidents.js';
import { forEachLimited, type PhaseReading, sleep, startPhaseMeter } from './phase-meter.js';
import type { ChainShape } from './raw-round.js';

export interface EngineResult {
  escalations: number;
  startFailures: number;
  firstStartError: string | null;
  startSeconds: number;
  /** Seconds from the first start until every escalation was exhausted (or the timeout). */
  seconds: number;
  lateness: number[];
  byLevel: number[][];
  exhaustionLateness: number[];
  /** Level 1's page − the moment every start was asked for (all at once): includes waiting to start. */
  levelOneFromRequest: number[];
  /** Levels fired per second, from the first start to the last page (the single-channel deliveries/s). */
  firedPerSecond: number;
  /** Connections taken from the engine's pool: one per transaction. */
  poolCheckouts: number;
  /** Most clients seen waiting for a pool connection (sampled every 20 ms). */
  maxPoolWaiting: number;
  /** Wall time of each fireStep (lock, decide, commit, enqueue), ms. */
  fireDurations: number[];
  incomplete: number;
  /** The first few incidents that did not get every level. */
  incompleteIds: number[];
  duplicates: number;
  notExhausted: number;
  jobFailures: number;
  reconcilerTimers: number;
  cpu: PhaseReading;
}

export interface EngineRig {
  redis: Redis;
  poolCheckouts(): number;
  /** Clients waiting for a connection from the engine's pool right now. */
  poolWaiting(): number;
  /** Wall time of every fireStep call (the timer job's work), appended as they finish. */
  fireDurations: number[];
  service: EscalationService;
  metrics: Metrics;
  reconciled: { timers: number; pages: number };
}

async function failedJobs(metrics: Metrics): Promise<number> {
  const { values } = await metrics.jobs.get();
  return values
    .filter((v) => v.labels.outcome === 'failed' && v.labels.name !== 'reconcile')
    .reduce((sum, v) => sum + v.value, 0);
}

export async function runEngineRound(
  rig: EngineRig,
  client: pg.Client,
  count: number,
  options: ChainShape,
): Promise<EngineResult> {
  const levels = options.delaysMs.length;
  const ids = await createIncidents(client, count);
  const failuresBefore = await failedJobs(rig.metrics);
  const timersBefore = rig.reconciled.timers;
  const meter = await startPhaseMeter(rig.redis);
  const checkoutsBefore = rig.poolCheckouts();
  rig.fireDurations.length = 0;
  let maxPoolWaiting = 0;
  const poolSampler = setInterval(() => {
    maxPoolWaiting = Math.max(maxPoolWaiting, rig.poolWaiting());
  }, 20);
  const requestedAt = Date.now();
  const t0 = performance.now();
  const startFailures = await forEachLimited(ids, options.startConcurrency, async (id) => {
    const started = await rig.service.start(id, { service: null });
    if (!started) throw new Error(`incident ${id}: start() found no policy or an escalation already`);
  });
  const startSeconds = (performance.now() - t0) / 1000;

  // Every escalation ends exhausted once its last level's delay has passed: then all work is done.
  const deadline = t0 + options.timeoutSec * 1000;
  let exhausted = 0;
  while (performance.now() < deadline) {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM escalations WHERE incident_id = ANY($1::bigint[]) AND state = 'exhausted'`,
      [ids],
    );
    exhausted = rows[0]!.n;
    if (exhausted >= ids.length - startFailures.length) break;
    await sleep(100);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = await meter();
  clearInterval(poolSampler);
  const poolCheckouts = rig.poolCheckouts() - checkoutsBefore;
  const fireDurations = [...rig.fireDurations];

  const pages = await client.query<{ incident_id: string; step: number; loop: number; at: number }>(
    `SELECT incident_id, step, loop, extract(epoch FROM created_at) * 1000 AS at
     FROM pages WHERE incident_id = ANY($1::bigint[])`,
    [ids],
  );
  const events = await client.query<{ incident_id: string; kind: string; level: number | null; at: number }>(
    `SELECT incident_id, kind, (details->>'level')::int AS level, extract(epoch FROM occurred_at) * 1000 AS at
     FROM timeline_events
     WHERE incident_id = ANY($1::bigint[])
       AND kind IN ('escalation.started', 'escalation.paged', 'escalation.exhausted')`,
    [ids],
  );

  interface Trace {
    startedAt?: number;
    decidedAt: Map<number, number>;
    firedAt: Map<number, number[]>;
    exhaustedAt?: number;
  }
  const traces = new Map<number, Trace>(ids.map((id) => [id, { decidedAt: new Map(), firedAt: new Map() }]));
  for (const e of events.rows) {
    const trace = traces.get(Number(e.incident_id))!;
    if (e.kind === 'escalation.started') trace.startedAt = Number(e.at);
    else if (e.kind === 'escalation.exhausted') trace.exhaustedAt = Number(e.at);
    else if (e.level !== null) trace.decidedAt.set(e.level - 1, Number(e.at));
  }
  for (const p of pages.rows) {
    const trace = traces.get(Number(p.incident_id))!;
    const step = p.loop * levels + p.step;
    trace.firedAt.set(step, [...(trace.firedAt.get(step) ?? []), Number(p.at)]);
  }

  const lateness: number[] = [];
  const byLevel: number[][] = options.delaysMs.map(() => []);
  const exhaustionLateness: number[] = [];
  const levelOneFromRequest: number[] = [];
  let firstStart = Number.POSITIVE_INFINITY;
  let lastFired = Number.NEGATIVE_INFINITY;
  const incompleteIds: number[] = [];
  let duplicates = 0;
  for (const [id, trace] of traces) {
    let complete = trace.startedAt !== undefined;
    // A level paged more than once, or a page beyond the policy's levels, is a duplicate.
    for (const [step, times] of trace.firedAt) duplicates += step < levels ? times.length - 1 : times.length;
    for (let step = 0; step < levels; step++) {
      const fired = trace.firedAt.get(step)?.[0];
      const due =
        step === 0
          ? trace.startedAt
          : (trace.decidedAt.get(step - 1) ?? Number.NaN) + options.delaysMs[step - 1]!;
      if (fired === undefined || due === undefined || Number.isNaN(due)) {
        complete = false;
        continue;
      }
      lateness.push(fired - due);
      firstStart = Math.min(firstStart, trace.startedAt ?? firstStart);
      lastFired = Math.max(lastFired, fired);
      byLevel[step]!.push(fired - due);
    }
    const levelOne = trace.firedAt.get(0)?.[0];
    if (levelOne !== undefined) levelOneFromRequest.push(levelOne - requestedAt);
    const lastDecided = trace.decidedAt.get(levels - 1);
    if (trace.exhaustedAt !== undefined && lastDecided !== undefined) {
      exhaustionLateness.push(trace.exhaustedAt - (lastDecided + options.delaysMs[levels - 1]!));
    }
    if (!complete) incompleteIds.push(id);
  }

  return {
    escalations: count,
    startFailures: startFailures.length,
    firstStartError: startFailures.length
      ? String((startFailures[0] as Error)?.message ?? startFailures[0])
      : null,
    startSeconds,
    seconds,
    lateness,
    byLevel,
    exhaustionLateness,
    levelOneFromRequest,
    firedPerSecond: lateness.length / ((lastFired - firstStart) / 1000),
    poolCheckouts,
    maxPoolWaiting,
    fireDurations,
    incomplete: incompleteIds.length,
    incompleteIds: incompleteIds.slice(0, 10),
    duplicates,
    notExhausted: ids.length - exhausted,
    jobFailures: (await failedJobs(rig.metrics)) - failuresBefore,
    reconcilerTimers: rig.reconciled.timers - timersBefore,
    cpu,
  };
}
