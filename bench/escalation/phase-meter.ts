/** Machine-load readings, bounded concurrency and report formatting shared by the escalation bench's rounds. */
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { type CpuGroup, machineBusyMicros, processTreeMicros } from '../shared.js';

/** What a bench started, stopped in reverse order whatever happens. */
export type Cleanups = Array<[string, () => Promise<unknown>]>;

export interface CpuReading {
  seconds: number;
  /** Average cores busy over the phase: this process, its Postgres, its Redis, and everything else. */
  node: number;
  postgres: number;
  redis: number;
  other: number | null;
}

/** Commands Redis executed so far (all clients) and the time it spent in them, from INFO commandstats. */
async function redisCommandStats(redis: Redis): Promise<{ calls: number; usec: number }> {
  const text = await redis.info('commandstats');
  let calls = 0;
  let usec = 0;
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    if (match[1] === 'info') continue;
    calls += Number(match[2]);
    usec += Number(match[3]);
  }
  return { calls, usec };
}

export interface PhaseReading extends CpuReading {
  /** Share of the time this process's event loop was busy. */
  eventLoopUtilization: number;
  redisCommands: number;
  /** Time Redis spent executing commands, as cores. */
  redisBusy: number;
}

/** Starts measuring a phase; the returned function reads CPU, event-loop and Redis figures since. */
export async function startPhaseMeter(redis: Redis): Promise<() => Promise<PhaseReading>> {
  const redisBefore = await redisCommandStats(redis);
  const elu = performance.eventLoopUtilization();
  const wall = performance.now();
  const machine = machineBusyMicros();
  const tree = processTreeMicros();
  return async () => {
    const seconds = (performance.now() - wall) / 1000;
    const machineNow = machineBusyMicros();
    const treeNow = processTreeMicros();
    const eventLoopUtilization = performance.eventLoopUtilization(elu).utilization;
    const redisAfter = await redisCommandStats(redis);
    const coresOf = (group: CpuGroup) => (treeNow[group] - tree[group]) / 1e6 / seconds;
    const ours = coresOf('node') + coresOf('postgres') + coresOf('redis');
    return {
      seconds,
      node: coresOf('node'),
      postgres: coresOf('postgres'),
      redis: coresOf('redis'),
      other:
        machine === null || machineNow === null
          ? null
          : Math.max(0, (machineNow - machine) / 1e6 / seconds - ours),
      eventLoopUtilization,
      redisCommands: redisAfter.calls - redisBefore.calls,
      redisBusy: (redisAfter.usec - redisBefore.usec) / 1e6 / seconds,
    };
  };
}

/** Runs `fn` over `items` with at most `limit` in flight; collects failures instead of throwing. */
export async function forEachLimited<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<unknown[]> {
  const failures: unknown[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        await fn(item).catch((error: unknown) => failures.push(error));
      }
    }),
  );
  return failures;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Warnings and errors the engine logs (failed jobs, enqueue failures): counted, the first few kept. */
export function warningSink() {
  const sink = { count: 0, first: [] as string[] };
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        sink.count += 1;
        if (sink.first.length < 3) {
          try {
            const entry = JSON.parse(line) as { msg?: string; err?: { message?: string }; what?: string };
            sink.first.push(`${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`);
          } catch {
            sink.first.push(line.slice(0, 200));
          }
        }
      }
      callback();
    },
  });
  return { sink, stream };
}

export const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
export const cores = (n: number | null) => (n === null ? '-' : n.toFixed(2));
export const round2 = (n: number) => Math.round(n * 100) / 100;
export const cpuJson = (c: PhaseReading) => ({
  node: round2(c.node),
  postgres: round2(c.postgres),
  redis: round2(c.redis),
  other: c.other === null ? null : round2(c.other),
  eventLoopUtilization: round2(c.eventLoopUtilization),
  redisCommands: c.redisCommands,
  redisBusy: round2(c.redisBusy),
});
