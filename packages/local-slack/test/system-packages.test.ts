import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensurePrograms, findOnPath, MissingProgramError } from '../src/system-packages.js';

describe('system programs the sandbox and the tests need', () => {
  it('finds a program on the PATH, trying names in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'path-'));
    writeFileSync(join(dir, 'chromium-browser'), '');
    expect(findOnPath(['chromium', 'chromium-browser'], `/nonexistent:${dir}`)).toBe(
      join(dir, 'chromium-browser'),
    );
    expect(findOnPath(['chromium'], dir)).toBeNull();
  });

  it('says exactly how to install what is missing when it cannot install it', () => {
    const missing = {
      commands: ['incident-bot-no-such-program'],
      apt: 'no-such-package',
      macos: 'brew install no-such-formula',
      docker: 'docker run no-such-image',
    };
    let error: unknown;
    try {
      ensurePrograms([missing], { why: 'The sandbox', install: false });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MissingProgramError);
    expect((error as Error).message).toBe(
      [
        'The sandbox needs incident-bot-no-such-program, which is not installed. Install it with:',
        '  Debian/Ubuntu: sudo apt-get install -y no-such-package',
        '  macOS:         brew install no-such-formula',
        '  Docker:        docker run no-such-image',
      ].join('\n'),
    );
  });

  it('returns the paths of programs that are there', () => {
    const [node] = ensurePrograms([{ commands: ['node'], apt: 'nodejs', macos: 'brew install node' }], {
      why: 'x',
      install: false,
    });
    expect(node).toMatch(/\/node$/);
  });
});
