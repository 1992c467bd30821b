/**
 * The rules round's bot: the real bot (`startBot`, worker role, as docker-compose runs its workers)
 * in a child process of its own, its providers pointed at the parent's fakes by environment exactly
 * as a deployment configures them. The parent starts escalations on the same Postgres and Redis; this
 * child's workers fire the steps. Run as a child by rules-round.ts (RULES_BENCH_CONFIG set).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { childReady, startChildTarget, stopChild } from '../child-target.js';

export interface RulesBotConfig {
  /** Variables of src/config.ts: database, Redis, Slack and provider URLs, ONCALL_CONFIG. */
  env: Record<string, string>;
  queuePrefix: string;
}

/** Parent side: the child, its CPU time so far, and stopping it. */
export function forkRulesBot(config: RulesBotConfig) {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    env: {
      ...process.env,
      RULES_BENCH_CONFIG: JSON.stringify(config),
    },
    execArgv: [...process.execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    pid: child.pid,
    ready: (timeoutMs = 90_000) => childReady(child, 'rules bot', timeoutMs),
    /** User + system CPU of the child so far, µs (Linux /proc; 0 elsewhere). */
    cpuMicros(): number {
      try {
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return (Number(fields[11]) + Number(fields[12])) * 10_000;
      } catch {
        return 0;
      }
    },
    stop: () => stopChild(child, exited, 'rules bot', { op: 'stop' }, 20_000),
  };
}

async function serve(config: RulesBotConfig): Promise<void> {
  const shutdown = await startChildTarget('rules bot', async () => {
    const [{ startBot }, { loadConfig }, { createLogger }] = await Promise.all([
      import('../../src/bot.js'),
      import('../../src/config.js'),
      import('../../src/logger.js'),
    ]);
    const logLevel = process.env.ESC_BENCH_LOG_LEVEL ?? 'error';
    const bot = await startBot({
      config: loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-sandbox-token',
        SLACK_SIGNING_SECRET: 'bench-signing-secret-0123456789',
        PORT: '0',
        LOG_LEVEL: logLevel,
        ...config.env,
      }),
      role: 'worker',
      logger: createLogger({ level: logLevel }),
      queuePrefix: config.queuePrefix,
      host: '127.0.0.1',
      // The SMTP fake upgrades with STARTTLS on a self-signed certificate (as in the tests).
      emailTls: { rejectUnauthorized: false },
    });
    return { url: bot.url, stop: () => bot.stop() };
  });
  process.on('message', (message: { op?: string }) => {
    if (message.op === 'stop') void shutdown?.();
  });
}

if (process.env.RULES_BENCH_CONFIG) await serve(JSON.parse(process.env.RULES_BENCH_CONFIG) as RulesBotConfig);
