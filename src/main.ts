import { type Role, startBot } from './bot.js';
import { loadConfig } from './config.js';
import { isAppError } from './errors.js';
import { createLogger } from './logger.js';

// Entry point: `tsx src/main.ts [web|worker|all]` (npm start runs `all`).
const role = (process.argv[2] ?? 'all') as Role;
if (!['web', 'worker', 'all'].includes(role)) {
  console.error(`Unknown role "${role}". Use one of: web, worker, all.`);
  process.exit(2);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  console.error(isAppError(error) ? error.message : error);
  process.exit(1);
}
const logger = createLogger({ level: config.logLevel });

if (config.sandbox) {
  console.error(
    [
      'No Slack credentials are configured (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET).',
      'To run against Slack, create the app from manifest.yml and set them with DATABASE_URL and REDIS_URL (see README.md).',
      'The no-credentials sandbox is not built yet (issue "Sandbox: the whole bot on one machine").',
    ].join('\n'),
  );
  process.exit(1);
}

try {
  const bot = await startBot({ config, role, logger });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const hardExit = setTimeout(() => process.exit(1), 20_000);
    hardExit.unref();
    bot.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
} catch (error) {
  // Configuration problems are for a person at a terminal: say them plainly, not only as a log line.
  if (isAppError(error)) console.error(`\n${error.message}\n`);
  logger.fatal({ err: error }, isAppError(error) ? error.message : 'start-up failed');
  process.exit(1);
}
