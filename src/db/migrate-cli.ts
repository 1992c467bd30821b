import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { runMigrations } from './migrate.js';
import { createPool } from './pool.js';

// `npm run migrate`: apply pending migrations to DATABASE_URL and exit.
const config = loadConfig();
const logger = createLogger({ level: config.logLevel });
if (!config.databaseUrl) {
  logger.error('DATABASE_URL is not set');
  process.exit(1);
}
const pool = createPool(config.databaseUrl, { max: 1, applicationName: 'incident-bot-migrate' });
try {
  const applied = await runMigrations(pool, logger);
  logger.info({ applied }, applied.length ? 'migrations applied' : 'database is up to date');
} finally {
  await pool.end();
}
