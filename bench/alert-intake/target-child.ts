/**
 * A benchmark target in a process of its own (forked by targets.ts): the real bot, or the baseline
 * server. Serves until the parent says stop or goes away; answers the parent's CPU queries.
 */
import { startChildTarget } from '../child-target.js';
import type { FromChild, TargetConfig, TargetName, ToChild } from './targets.js';

const send = (message: FromChild) => process.send?.(message);

async function startBotTarget(config: TargetConfig): Promise<{ url: string; stop(): Promise<void> }> {
  const [{ startBot }, { loadConfig }, { createLogger }] = await Promise.all([
    import('../../src/bot.js'),
    import('../../src/config.js'),
    import('../../src/logger.js'),
  ]);
  const logLevel = process.env.ALERT_BENCH_LOG_LEVEL ?? 'error';
  const bot = await startBot({
    config: loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-sandbox-token',
      SLACK_SIGNING_SECRET: 'bench-signing-secret-0123456789',
      SLACK_API_URL: config.slackApiUrl,
      DATABASE_URL: config.databaseUrl,
      REDIS_URL: config.redisUrl,
      PORT: '0',
      LOG_LEVEL: logLevel,
      ONCALL_CONFIG: config.oncallPath,
    }),
    role: config.role,
    logger: createLogger({ level: logLevel }),
    queuePrefix: config.queuePrefix,
    host: '127.0.0.1',
  });
  return { url: `${bot.url}/v2/enqueue`, stop: () => bot.stop() };
}

async function startBaselineTarget(config: TargetConfig): Promise<{ url: string; stop(): Promise<void> }> {
  const { startBaselineServer } = await import('./baseline-server.js');
  return startBaselineServer({ databaseUrl: config.databaseUrl, routingKeys: new Set(config.routingKeys) });
}

async function serve(name: TargetName, config: TargetConfig): Promise<void> {
  const shutdown = await startChildTarget(name, () =>
    name === 'bot' ? startBotTarget(config) : startBaselineTarget(config),
  );
  if (!shutdown) return;
  process.on('message', (message: ToChild) => {
    if (message.op === 'cpu') {
      const { user, system } = process.cpuUsage();
      send({ type: 'cpu', id: message.id, micros: user + system });
    } else void shutdown();
  });
}

const name = process.env.ALERT_BENCH_TARGET as TargetName | undefined;
if (!name) {
  console.error('target-child.ts is started by bench/alert-intake/main.ts');
  process.exitCode = 2;
} else {
  await serve(name, JSON.parse(process.env.ALERT_BENCH_CONFIG ?? '{}') as TargetConfig);
}
