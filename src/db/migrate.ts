import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.js';
import type { Pool } from './pool.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

// Any fixed 64-bit key; every instance that starts at once waits here instead of racing.
const MIGRATION_LOCK_KEY = 7_246_001;

export interface MigrationFile {
  version: number;
  name: string;
  path: string;
}

/** Lists `NNNN_name.sql` files in order; anything else in the folder is a mistake worth failing on. */
export async function listMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const files = entries.map((name) => {
    const match = /^(\d{4})_[a-z0-9_]+\.sql$/.exec(name);
    if (!match) throw new Error(`migration file name must look like 0001_create_things.sql: ${name}`);
    return { version: Number(match[1]), name, path: join(dir, name) };
  });
  files.forEach((file, i) => {
    if (file.version !== i + 1) throw new Error(`migrations must be numbered 1, 2, 3…; found ${file.name}`);
  });
  return files;
}

/**
 * Applies pending migrations, each in its own transaction, under an advisory lock so that several
 * instances starting together apply each file exactly once. Forward-only: there are no down files.
 */
export async function runMigrations(pool: Pool, logger?: Logger, dir = MIGRATIONS_DIR): Promise<number[]> {
  const files = await listMigrations(dir);
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    // Waiting for another instance's migrations, or a long migration, is not a stuck statement.
    await client.query('SET statement_timeout = 0');
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    for (const file of files) {
      if (done.has(file.version)) continue;
      const sql = await readFile(file.path, 'utf8');
      try {
        await client.query('BEGIN');
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          file.version,
          file.name,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw new Error(`migration ${file.name} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(file.version);
      logger?.info({ migration: file.name }, 'applied migration');
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.query('RESET statement_timeout').catch(() => {});
    client.release();
  }
  return applied;
}
