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
// The sandbox prints one URL for a person; its logs stay quiet unless LOG_LEVEL asks for more.
const logger = createLogger({
  level: config.sandbox && !process.env.LOG_LEVEL ? 'warn' : config.logLevel,
});

if (config.sandbox && role !== 'all') {
  // Only `npm start` (all) falls back to the sandbox: a production role without credentials is a
  // deployment mistake, and must not quietly become a local Slack on a server.
  console.error(
    `The ${role} role needs Slack credentials: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (and DATABASE_URL, REDIS_URL); only \`npm start\` runs the sandbox without them.`,
  );
  process.exit(1);
}

if (config.sandbox) {
  // No Slack credentials: run everything on this machine with the local Slack and its page. The runner
  // (and the @incident-bot/local-slack workspace it imports) is loaded only here, so a production install
  // without that dev-only package still runs every role with credentials.
  const { runSandbox } = await loadSandboxRunner();
  try {
    const dataDirFlag = process.argv.indexOf('--data-dir');
    const dataDir = dataDirFlag > 0 ? process.argv[dataDirFlag + 1] : undefined;
    if (dataDirFlag > 0 && !dataDir)
      throw new Error('--data-dir needs a folder, e.g. --data-dir /tmp/sandbox');
    await runSandbox({ fresh: process.argv.includes('--fresh'), port: config.port, logger, dataDir });
  } catch (error) {
    console.error(`The sandbox could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
} else {
  // Signals are taken from the start: a SIGTERM that arrives while the bot starts (its HTTP listener
  // answers /healthz before the workers run) still stops it cleanly once start-up has finished.
  let started: Promise<Awaited<ReturnType<typeof startBot>>> | null = null;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const hardExit = setTimeout(() => process.exit(1), 20_000);
    hardExit.unref();
    (started ?? Promise.reject(new Error('not started')))
      .then((bot) => bot.stop())
      .then(
        () => process.exit(0),
        (error) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  try {
    started = startBot({ config, role, logger });
    await started;
  } catch (error) {
    // Configuration problems are for a person at a terminal: say them plainly, not only as a log line.
    if (isAppError(error)) console.error(`\n${error.message}\n`);
    logger.fatal({ err: error }, isAppError(error) ? error.message : 'start-up failed');
    process.exit(1);
  }
}

async function loadSandboxRunner(): Promise<typeof import('./dev/run-sandbox.js')> {
  try {
    return await import('./dev/run-sandbox.js');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'ERR_MODULE_NOT_FOUND' && message.includes('@incident-bot/local-slack')) {
      console.error(
        [
          'The bot cannot start: no Slack credentials and the local Slack is not installed.',
          'Set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, DATABASE_URL and REDIS_URL to run against Slack,',
          'or, in a checkout of the repository, run `npm ci` (it links packages/local-slack) and then',
          '`npm start` for the sandbox.',
        ].join('\n'),
      );
      process.exit(1);
    }
    if (code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      console.error(
        'The local Slack is TypeScript source: start the sandbox with `npm start` (tsx), not node.',
      );
      process.exit(1);
    }
    throw error;
  }
}
