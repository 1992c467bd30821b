import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChildStatus, childReady, stopChild } from '../child-target.js';

/**
 * Each target (the bot, the baseline server) runs in a child process of its own (target-child.ts), so
 * neither shares an event loop with the load generator, the local Slack or the other target.
 */
export type TargetName = 'bot' | 'baseline';

export interface TargetConfig {
  databaseUrl: string;
  redisUrl: string;
  slackApiUrl: string;
  oncallPath: string;
  /** Every service's alert key (the baseline checks routing keys against them). */
  routingKeys: string[];
  /** The bot's role: `all` (web and workers in one process, as `npm start`), or `web` and `worker` apart. */
  role: 'all' | 'web' | 'worker';
  queuePrefix: string;
}

/** Parent → child. */
export type ToChild = { id: number; op: 'cpu' | 'stop' };
/** Child → parent. */
export type FromChild = ChildStatus | { type: 'cpu'; id: number; micros: number };

const CHILD = fileURLToPath(new URL('./target-child.ts', import.meta.url));

export class TargetProcess {
  readonly child: ChildProcess;
  url = '';
  private nextId = 1;
  private readonly pending = new Map<number, (micros: number) => void>();
  private readonly exited: Promise<void>;

  constructor(
    readonly name: TargetName,
    config: TargetConfig,
    cpuProfDir?: string,
  ) {
    const execArgv = [...process.execArgv];
    if (cpuProfDir) execArgv.push('--cpu-prof', '--cpu-prof-dir', join(cpuProfDir, `${name}-${config.role}`));
    this.child = fork(CHILD, [], {
      env: { ...process.env, ALERT_BENCH_TARGET: name, ALERT_BENCH_CONFIG: JSON.stringify(config) },
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.child.on('message', (message: FromChild) => {
      if (message.type !== 'cpu') return;
      this.pending.get(message.id)?.(message.micros);
      this.pending.delete(message.id);
    });
  }

  async ready(timeoutMs = 90_000): Promise<void> {
    this.url = await childReady(this.child, this.name, timeoutMs);
  }

  /** CPU time (user + system) the child has used so far, µs. */
  cpuMicros(): Promise<number> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, resolve);
      this.child.send({ id, op: 'cpu' } satisfies ToChild, (error) => error && reject(error));
    });
  }

  /** Asks the child to stop; kills its pid if it has not exited within `timeoutMs`. */
  stop(timeoutMs = 20_000): Promise<void> {
    const message = { id: this.nextId++, op: 'stop' } satisfies ToChild;
    return stopChild(this.child, this.exited, this.name, message, timeoutMs);
  }
}
