import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnNode } from './spawn-node.js';
import { waitFor } from './wait-for.js';

export interface SandboxProcess {
  pid: number;
  /** The one URL the sandbox prints. */
  url: string;
  output(): string;
  /** SIGTERM, then the exit code; SIGKILL if it has not ended within `graceMs`. */
  stop(graceMs?: number): Promise<number | string>;
}

/**
 * Runs `npm start` as a newcomer would, without Slack credentials (so: the sandbox), with its data in
 * `dataDir`: its own embedded Postgres and redis-server, not the test run's.
 */
export async function startSandboxProcess(dataDir: string, flags: string[] = []): Promise<SandboxProcess> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    PORT: '0',
  };
  const { child, output, exited } = spawnNode(['src/main.ts', 'all', '--data-dir', dataDir, ...flags], env);
  const url = await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`the sandbox exited early:\n${output()}`);
      return /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output())?.[1];
    },
    { timeoutMs: 90_000, what: 'the sandbox to print its URL' },
  ).catch((error) => {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output()}`);
  });
  return {
    pid: child.pid!,
    url,
    output,
    async stop(graceMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Stops, by the pids their files name, the Postgres and Redis a killed sandbox may have left running. */
export function stopSandboxServers(dataDir: string): void {
  for (const file of [join(dataDir, 'postgres', 'postmaster.pid'), join(dataDir, 'redis', 'redis.pid')]) {
    if (!existsSync(file)) continue;
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
