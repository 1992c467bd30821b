import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A program from the operating system that the sandbox or the tests run, and how to install it. */
export interface SystemProgram {
  /** Names to look for on the PATH, in order (e.g. chromium, chromium-browser). */
  commands: readonly string[];
  /** The Debian/Ubuntu package that provides it. */
  apt: string;
  macos: string;
  docker?: string;
}

export const REDIS_SERVER: SystemProgram = {
  commands: ['redis-server'],
  apt: 'redis-server',
  macos: 'brew install redis',
  docker:
    'docker run -d -p 6379:6379 redis:7 --maxmemory-policy noeviction  (then REDIS_URL=redis://127.0.0.1:6379)',
};

export const CHROMIUM: SystemProgram = {
  commands: ['chromium', 'chromium-browser'],
  apt: 'chromium',
  macos:
    'brew install --cask chromium  (then CHROMIUM_PATH=/Applications/Chromium.app/Contents/MacOS/Chromium)',
};

/** Prometheus's rule checker and tester (Debian ships it in the prometheus package; nothing is started). */
export const PROMTOOL: SystemProgram = {
  commands: ['promtool'],
  apt: 'prometheus',
  macos: 'brew install prometheus',
};

/** Prometheus's Alertmanager, for the end-to-end alert test (Debian names its binary prometheus-alertmanager). */
export const ALERTMANAGER: SystemProgram = {
  commands: ['prometheus-alertmanager', 'alertmanager'],
  apt: 'prometheus-alertmanager',
  macos: 'brew install alertmanager',
};

/** The absolute path of the first of `names` found on the PATH, or null. */
export function findOnPath(names: readonly string[], path = process.env.PATH ?? ''): string | null {
  for (const name of names) {
    for (const dir of path.split(delimiter)) {
      if (!dir) continue;
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return null;
}

export class MissingProgramError extends Error {}

/**
 * Makes sure every program is installed. Missing ones are installed with apt-get where that is
 * possible (root on Debian/Ubuntu); otherwise this throws with the exact commands to run.
 * Returns the path of each program, in order.
 */
export function ensurePrograms(
  programs: readonly SystemProgram[],
  options: { log?: (line: string) => void; why: string; install?: boolean },
): string[] {
  const log = options.log ?? ((line: string) => console.log(line));
  const missing = programs.filter((p) => !findOnPath(p.commands));
  const canInstall = options.install !== false && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (missing.length > 0 && canInstall) {
    const packages = missing.map((p) => p.apt);
    log(`${options.why} needs ${packages.join(' and ')}; installing with apt-get…`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
  }
  const stillMissing = programs.filter((p) => !findOnPath(p.commands));
  if (stillMissing.length > 0) {
    const lines = [
      `${options.why} needs ${stillMissing.map((p) => p.commands[0]).join(' and ')}, which ${stillMissing.length > 1 ? 'are' : 'is'} not installed. Install ${stillMissing.length > 1 ? 'them' : 'it'} with:`,
      `  Debian/Ubuntu: sudo apt-get install -y ${stillMissing.map((p) => p.apt).join(' ')}`,
      ...stillMissing.map((p) => `  macOS:         ${p.macos}`),
      ...stillMissing.filter((p) => p.docker).map((p) => `  Docker:        ${p.docker}`),
    ];
    throw new MissingProgramError(lines.join('\n'));
  }
  return programs.map((p) => findOnPath(p.commands)!);
}
