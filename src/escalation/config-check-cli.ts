import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseConfigFile, formatOnCallReport } from './config-check.js';
import { loadOncallConfig, OncallConfigError } from './oncall-config.js';

/**
 * `npx tsx src/escalation/config-check-cli.ts [file] [--at 2026-12-24T18:00:00Z]`: validates an on-call
 * file and prints who is on call now (or at --at) and next on each schedule. Exit 1 on an invalid file.
 */
const USAGE = 'usage: config-check [file] [--at ISO-DATE-TIME]';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const args = process.argv.slice(2);
let file: string | undefined;
let now = new Date();
for (let index = 0; index < args.length; index++) {
  const arg = args[index]!;
  if (arg === '--help' || arg === '-h') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  } else if (arg === '--at') {
    now = new Date(args[++index] ?? '');
    if (Number.isNaN(now.getTime())) fail(`--at needs a date-time such as 2026-12-24T18:00:00Z\n${USAGE}`);
  } else if (file === undefined && !arg.startsWith('-')) {
    file = arg;
  } else {
    fail(`unexpected argument ${arg}\n${USAGE}`);
  }
}

const choice = chooseConfigFile({
  arg: file,
  env: process.env,
  cwd: process.cwd(),
  examplePath: fileURLToPath(new URL('../../oncall.example.yaml', import.meta.url)),
  exists: existsSync,
});
if ('error' in choice) fail(choice.error);

const shown = relative(process.cwd(), choice.path).startsWith('..')
  ? choice.path
  : relative(process.cwd(), choice.path);
process.stdout.write(`Reading ${shown} (${choice.why}).\n`);
try {
  const config = await loadOncallConfig(choice.path);
  process.stdout.write(`${shown} is valid: ${formatOnCallReport(config, now)}\n`);
} catch (error) {
  if (error instanceof OncallConfigError) fail(error.message);
  throw error;
}
