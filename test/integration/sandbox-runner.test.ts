import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnNode } from '../helpers/spawn-node.js';

const dataDir = mkdtempSync(join(tmpdir(), 'incident-bot-sandbox-port-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Live processes whose command line names `dir` (Postgres runs with -D, Redis with --dir). */
function processesUsing(dir: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        return commandLine.includes(dir) ? [`${pid}: ${commandLine}`] : [];
      } catch {
        return []; // ended while we looked
      }
    });
}

describe('npm start without Slack credentials (the sandbox runner)', () => {
  it('says which port is taken and leaves no Postgres or Redis running behind it', async () => {
    const blocker = createServer();
    await new Promise<void>((ready) => blocker.listen(0, '127.0.0.1', ready));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = spawnNode(['src/main.ts', 'all', '--data-dir', dataDir, '--fresh'], {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        PORT: String(port),
      });
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`port ${port} is in use; pick another: PORT=3001 npm start`);
      // Postgres and Redis had started (the runner opens the page last) and were stopped again.
      expect(readFileSync(join(dataDir, 'postgres', 'PG_VERSION'), 'utf8').trim()).toMatch(/^\d+$/);
      expect(existsSync(join(dataDir, 'redis'))).toBe(true);
      expect(processesUsing(dataDir)).toEqual([]);
    } finally {
      blocker.close();
    }
  }, 90_000);
});
