import { readdirSync, readFileSync } from 'node:fs';

/** Busy CPU time of the whole machine (all cores, including steal), from /proc/stat; null off Linux. */
export function machineBusyMicros(): number | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    // USER_HZ is 100 on every Linux Node runs on.
    return (user + nice + system + irq + softirq + steal) * 10_000;
  } catch {
    return null;
  }
}

/** A plain-text table: the first `leftColumns` columns left-aligned (labels), the rest right-aligned. */
export function table(rows: string[][], leftColumns = 1): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, col) => (col < leftColumns ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export interface Stats {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles. */
export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  if (sorted.length === 0) return { count: 0, p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
  return { count: sorted.length, p50: rank(0.5), p99: rank(0.99), max: sorted[sorted.length - 1]! };
}

export const round1 = (n: number) => (Number.isFinite(n) ? Math.round(n * 10) / 10 : null);

/** Stats for a benchmark's JSON line, in ms to one decimal. */
export const statsJson = (s: Stats) => ({
  count: s.count,
  p50Ms: round1(s.p50),
  p99Ms: round1(s.p99),
  maxMs: round1(s.max),
});

/**
 * Runs a benchmark's main: `main` registers what it starts in `cleanups` (stopped in reverse order,
 * whatever happens) and returns normally; a failure is printed and exits 1. Afterwards whatever still
 * holds the event loop open must not keep the benchmark running.
 */
export async function runBench(
  name: string,
  main: (cleanups: Array<[string, () => Promise<unknown>]>) => Promise<void>,
): Promise<void> {
  const cleanups: Array<[string, () => Promise<unknown>]> = [];
  try {
    await main(cleanups);
    process.exitCode = 0;
  } catch (error) {
    console.error(`${name} bench failed:`, error);
    process.exitCode = 1;
  } finally {
    for (const [what, cleanup] of cleanups.reverse()) {
      await cleanup().catch((error) => console.error(`could not stop ${what}:`, error));
    }
  }
  setTimeout(() => {
    console.error('handles still open 3 s after shutdown; exiting');
    process.exit(process.exitCode ?? 0);
  }, 3000).unref();
}

export type CpuGroup = 'node' | 'postgres' | 'redis';

/**
 * CPU time of this process and of what it started (Postgres and its backends, redis-server), from
 * /proc/<pid>/stat; empty off Linux. Other processes on the machine are what the machine total leaves.
 */
export function processTreeMicros(): Record<CpuGroup, number> {
  const totals: Record<CpuGroup, number> = { node: 0, postgres: 0, redis: 0 };
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return totals;
  }
  const procs = new Map<number, { ppid: number; comm: string; micros: number }>();
  for (const name of entries) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      // Fields after the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14). The
      // children's times count too: a Postgres backend that exits in a round is not lost from it.
      procs.set(Number(name), {
        ppid: Number(fields[1]),
        comm,
        micros: (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 10_000,
      });
    } catch {
      // The process exited while we looked.
    }
  }
  const isOurs = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 10; hops++) {
      if (p === process.pid) return true;
      p = procs.get(p)?.ppid ?? 0;
    }
    return false;
  };
  for (const [pid, proc] of procs) {
    if (!isOurs(pid)) continue;
    if (pid === process.pid) totals.node += proc.micros;
    else if (proc.comm.startsWith('postgres')) totals.postgres += proc.micros;
    else if (proc.comm.startsWith('redis')) totals.redis += proc.micros;
  }
  return totals;
}
