import pg from 'pg';
import { AppError } from '../errors.js';
import { inTransactionScope } from './transaction-scope.js';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/** What repos take: the pool or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

// timestamptz → Date, int8 (COUNT, bigint ids) → number: our ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export interface PoolOptions {
  max?: number;
  applicationName?: string;
  /** Postgres cancels any statement running longer (the session's `statement_timeout`); 0 = never. */
  statementTimeoutMs?: number;
}

export function createPool(url: string, options: PoolOptions = {}): Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // A Slack ack must leave within 3 s, so a dead database has to fail fast, not queue.
    connectionTimeoutMillis: 1500,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'incident-bot',
    // A stuck query (a lock held by a crashed tool, a runaway plan) fails instead of holding a
    // connection and the request waiting on it forever.
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  // An idle client's connection dying (database restart) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  '57P01',
  '57P03',
]);

/** True when the error means "the database is not reachable right now" rather than a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  if (code !== undefined && UNAVAILABLE_CODES.has(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnavailable);
  return /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED/i.test(
    error.message,
  );
}

/**
 * Runs `fn` in one transaction; rolls back on any error. Unreachable databases become an AppError.
 * `fn` runs in a transaction scope (db/transaction-scope.ts): a Slack call from it is refused by the
 * Slack fetch (slack/metered-fetch.ts), as no transaction may wait on Slack.
 */
export function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return inTransactionScope(() => runTransaction(pool, fn));
}

async function runTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw asDatabaseError(error);
  }
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw asDatabaseError(error);
  } finally {
    client.release();
  }
}

export function asDatabaseError(error: unknown): unknown {
  if (error instanceof AppError || !isDatabaseUnavailable(error)) return error;
  return new AppError('database_unavailable', `database unavailable: ${(error as Error).message}`, {
    cause: error,
    userMessage:
      'The incident database is not reachable right now, so nothing was created or changed. Please try again in a moment.',
  });
}
