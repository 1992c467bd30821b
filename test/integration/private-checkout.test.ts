import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// A home directory as a fresh VM or container has it: mode 700, so only its owner may enter.
const home = mkdtempSync(join(tmpdir(), 'incident-bot-home-'));
chmodSync(home, 0o700);
const checkout = join(home, 'incident-bot');
let run: ChildProcess | undefined;
let output = '';

afterAll(async () => {
  if (run?.pid && run.exitCode === null && run.signalCode === null) {
    process.kill(-run.pid, 'SIGTERM');
    await new Promise((done) => run?.once('exit', done));
  }
  // Where the sandbox put its Postgres data when the postgres user could not reach the checkout.
  const outside = /its data lives in (\S+)/.exec(output)?.[1];
  if (outside) rmSync(dirname(outside), { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe('a checkout in a private directory (root in a mode-700 home)', () => {
  it('runs npm start to a served page, saying where Postgres runs from when it cannot reach the checkout', async () => {
    execFileSync('git', ['clone', '--quiet', ROOT, checkout]);
    // `npm ci` would take minutes on a loaded machine; hard links give the clone its own node_modules
    // tree (new directories, inside the private directory) with the same files.
    execFileSync('cp', ['-al', join(ROOT, 'node_modules'), join(checkout, 'node_modules')]);
    run = spawn('npm', ['start'], {
      cwd: checkout,
      detached: true, // its own process group, so the whole tree stops by this pid
      env: { PATH: process.env.PATH ?? '', HOME: home, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const append = (chunk: Buffer) => {
      output += chunk.toString();
    };
    run.stdout?.on('data', append);
    run.stderr?.on('data', append);
    const url = await waitFor(
      () => {
        if (run?.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
        return /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1];
      },
      { timeoutMs: 150_000, what: `the sandbox's URL; output so far:\n${output}` },
    );
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('incident-bot sandbox');
    expect(output).not.toContain('EACCES');
    // First run: one line per step with its time, and a greeting in #general with what to try.
    for (const label of ['Postgres started', 'Redis started', 'local Slack started', 'bot started']) {
      expect(output).toMatch(new RegExp(`✓ ${label}.*\\(\\d+\\.\\d s\\)`));
    }
    const saved = await waitFor(
      () => {
        const text = readFileSync(join(checkout, '.data', 'slack.json'), 'utf8');
        return text.includes('Welcome to the incident-bot sandbox') ? text : null;
      },
      { what: 'the greeting in the saved workspace' },
    );
    expect(saved).toContain('API Latency Spike');
    expect(saved).toContain('/incident oncall');
    if (process.getuid?.() === 0) {
      expect(output).toContain('postgres: the postgres user cannot reach');
      // The copy is shared by every run on the machine (and never removed while one may use it).
      expect(output).toMatch(/(copying the binaries to|using the copy in) \/var\/tmp\/incident-bot-pg-/);
    }
    // Ctrl-C's signal to the whole group: the sandbox stops its Postgres (postmaster.pid goes).
    const dataDir = /its data lives in (\S+)/.exec(output)?.[1] ?? join(checkout, '.data', 'postgres');
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(true);
    process.kill(-run.pid!, 'SIGTERM');
    await waitFor(() => !existsSync(join(dataDir, 'postmaster.pid')), {
      timeoutMs: 30_000,
      what: 'Postgres to stop',
    });
  }, 240_000);

  it('runs the test suite from there: its set-up starts Postgres and Redis, and a database test passes', async () => {
    // `npm test` is `vitest run`; one file keeps this short, the set-up is the same for all of them.
    const file = 'test/integration/slack-presence-repo.test.ts';
    const tests = spawn('npx', ['vitest', 'run', '--project', 'bot', file], {
      cwd: checkout,
      env: { PATH: process.env.PATH ?? '', HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    tests.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    tests.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    const code = await new Promise((done) => tests.once('exit', done));
    expect(text).not.toContain('could not start');
    expect(text).toMatch(/Tests\s+\d+ passed/);
    expect(code, text).toBe(0);
  }, 240_000);
});
