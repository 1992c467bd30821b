import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { listMigrations, runMigrations } from '../../src/db/migrate.js';
import { createPool } from '../../src/db/pool.js';
import { assertNoEviction } from '../../src/queue/redis.js';
import { createDatabase } from '../helpers/postgres-server.js';

describe('database migrations', () => {
  it('apply every file once, even when several instances start together', async () => {
    const url = await createDatabase(inject('postgresAdminUrl'));
    const pools = [createPool(url), createPool(url), createPool(url)];
    try {
      const results = await Promise.all(pools.map((pool) => runMigrations(pool)));
      const files = await listMigrations();
      // Exactly one instance applied each migration; the others found nothing to do.
      expect(results.flat().sort((a, b) => a - b)).toEqual(files.map((f) => f.version));
      const { rows } = await pools[0]!.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(files.map((f) => f.version));
      expect(await runMigrations(pools[0]!)).toEqual([]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('leave no trace of a failing migration file', async () => {
    const url = await createDatabase(inject('postgresAdminUrl'));
    const pool = createPool(url);
    const { mkdtemp, writeFile, copyFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    const files = await listMigrations();
    for (const f of files) await copyFile(f.path, join(dir, f.name));
    const broken = String(files.length + 1).padStart(4, '0');
    await writeFile(
      join(dir, `${broken}_broken.sql`),
      'CREATE TABLE half_done (id int); SELECT no_such_function();',
    );
    try {
      await expect(runMigrations(pool, undefined, dir)).rejects.toThrow(/broken.sql failed/);
      const { rows } = await pool.query("SELECT to_regclass('half_done') AS t");
      expect(rows[0].t).toBeNull();
      const applied = await pool.query('SELECT max(version) AS v FROM schema_migrations');
      expect(applied.rows[0].v).toBe(files.length);
    } finally {
      await pool.end();
    }
  });
});

describe('redis start-up check', () => {
  it('refuses a Redis whose eviction policy could drop queued jobs', async () => {
    const redis = new Redis(inject('redisUrl'));
    try {
      await expect(assertNoEviction(redis)).resolves.toBeUndefined();
      await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
      await expect(assertNoEviction(redis)).rejects.toThrow(/must be "noeviction"/);
    } finally {
      await redis.config('SET', 'maxmemory-policy', 'noeviction');
      redis.disconnect();
    }
  });
});
