import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALERTMANAGER, ensurePrograms } from '@incident-bot/local-slack';
import { stringify } from 'yaml';
import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

/** The installed Alertmanager (the test global setup installs Debian's prometheus-alertmanager when it can). */
export function findAlertmanager(): string {
  return ensurePrograms([ALERTMANAGER], { why: 'The Alertmanager end-to-end test', install: false })[0]!;
}

export interface AlertmanagerOptions {
  /** Where its one route's webhook receiver posts (`http://127.0.0.1:<botPort>/alerts/alertmanager/<key>`). */
  webhookUrl: string;
  /** Labels that group alerts into one notification. Default `['alertname', 'service']`. */
  groupBy?: string[];
  /** Durations in Alertmanager's notation; short defaults so a test sees notifications in seconds. */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  resolveTimeout?: string;
}

/** One alert as Alertmanager's API takes it (`POST /api/v2/alerts`, the postableAlert shape). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

export interface RunningAlertmanager {
  /** Its HTTP address, `http://127.0.0.1:<port>`. */
  url: string;
  pid: number;
  /** Posts alerts to `/api/v2/alerts`; rejects unless Alertmanager answers 200. */
  postAlerts(alerts: PostableAlert[]): Promise<void>;
  /** The alerts it holds (`GET /api/v2/alerts`), with the fingerprints it sends in its webhooks. */
  alerts(): Promise<Array<{ fingerprint: string; labels: Record<string, string> }>>;
  /** Everything it logged so far (its notification errors show there). */
  output(): string;
  /** SIGTERM to its pid (SIGKILL after 10 s), then removes its data directory. */
  stop(): Promise<void>;
}

/** The Alertmanager configuration: one route to one webhook receiver that also sends resolved notifications. */
export function alertmanagerConfig(options: AlertmanagerOptions): string {
  return stringify({
    global: { resolve_timeout: options.resolveTimeout ?? '1m' },
    route: {
      receiver: 'incident-bot',
      group_by: options.groupBy ?? ['alertname', 'service'],
      group_wait: options.groupWait ?? '1s',
      group_interval: options.groupInterval ?? '1s',
      repeat_interval: options.repeatInterval ?? '1h',
    },
    receivers: [
      { name: 'incident-bot', webhook_configs: [{ url: options.webhookUrl, send_resolved: true }] },
    ],
  });
}

/**
 * A real Alertmanager on a free loopback port, clustering off, its storage in a temporary directory;
 * resolves once `/-/ready` answers 200 (rejects with its output if it exits or is not ready in 60 s).
 */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<RunningAlertmanager> {
  const binary = findAlertmanager();
  const dir = await mkdtemp(join(tmpdir(), 'incident-bot-alertmanager-'));
  const configPath = join(dir, 'alertmanager.yml');
  await writeFile(configPath, alertmanagerConfig(options));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      `--config.file=${configPath}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // An empty address turns the gossip cluster off: one Alertmanager, no peers, no port of its own.
      '--cluster.listen-address=',
      '--log.level=debug',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let spawnError: Error | null = null;
  child.once('error', (error) => {
    spawnError = error;
  });
  const stop = () => stopProcess(child, exited).finally(() => rm(dir, { recursive: true, force: true }));
  try {
    await waitFor(
      async () => {
        if (spawnError) throw new Error(`could not run ${binary}: ${(spawnError as Error).message}`);
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`Alertmanager exited:\n${output}`);
        const response = await fetch(`${url}/-/ready`).catch(() => null);
        return response?.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: 'Alertmanager to be ready' },
    );
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${output}`);
  }
  return {
    url,
    pid: child.pid!,
    async postAlerts(alerts) {
      const response = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      if (response.status !== 200) {
        throw new Error(`Alertmanager answered ${response.status}: ${await response.text()}`);
      }
    },
    async alerts() {
      const response = await fetch(`${url}/api/v2/alerts`);
      if (response.status !== 200) {
        throw new Error(`Alertmanager answered ${response.status}: ${await response.text()}`);
      }
      return (await response.json()) as Array<{ fingerprint: string; labels: Record<string, string> }>;
    },
    output: () => output,
    stop,
  };
}

async function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
  }, 10_000);
  await exited;
  clearTimeout(timer);
}
