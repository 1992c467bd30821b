import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseConfigFile } from './config-check.js';
import { loadOncallConfig, type OncallConfig, OncallConfigError } from './oncall-config.js';

/** What the on-call file commands (`config:check`, `slo:rules`) share: their arguments and the file. */

export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/**
 * `[file] [--name VALUE]…`: at most one file, and each of `options` (e.g. `--out`) with a value.
 * `--help` prints `usage` and exits; anything else is refused with it.
 */
export function parseCliArgs(
  args: readonly string[],
  usage: string,
  options: readonly string[],
): { file: string | undefined; values: Partial<Record<string, string>> } {
  let file: string | undefined;
  const values: Partial<Record<string, string>> = {};
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    } else if (options.includes(arg)) {
      const value = args[++index];
      if (value === undefined || value === '') fail(`${arg} needs a value\n${usage}`);
      values[arg] = value;
    } else if (file === undefined && !arg.startsWith('-')) {
      file = arg;
    } else {
      fail(`unexpected argument ${arg}\n${usage}`);
    }
  }
  return { file, values };
}

/**
 * The on-call file the bot would read (or the one named), as `chooseConfigFile` decides; `shown` is its
 * path relative to the working folder when inside it. An invalid file ends the command with its problems.
 */
export async function loadCliConfig(
  file: string | undefined,
  announce: (shown: string, why: string) => void = () => {},
): Promise<{ config: OncallConfig; shown: string; why: string }> {
  const choice = chooseConfigFile({
    arg: file,
    env: process.env,
    cwd: process.cwd(),
    examplePath: fileURLToPath(new URL('../../oncall.example.yaml', import.meta.url)),
    exists: existsSync,
  });
  if ('error' in choice) fail(choice.error);
  const inside = relative(process.cwd(), choice.path);
  const shown = inside.startsWith('..') ? choice.path : inside;
  announce(shown, choice.why);
  try {
    return { config: await loadOncallConfig(choice.path, process.env), shown, why: choice.why };
  } catch (error) {
    if (error instanceof OncallConfigError) fail(error.message);
    throw error;
  }
}
