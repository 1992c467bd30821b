import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseConfigFile } from './config-check.js';
import { loadOncallConfig, OncallConfigError } from './oncall-config.js';
import { renderSloRules, servicesWithoutRules, servicesWithRules } from './slo-rules.js';

/**
 * `npm run slo:rules -- [file] [--out FILE]`: Prometheus alerting rules for every service of the on-call
 * file (the one the bot reads, as `npm run config:check` chooses it) with an `slo` and an `sli`. The rules
 * go to standard output, or to FILE; notes and errors go to standard error. Exit 1 on an invalid file.
 */
const USAGE = 'usage: slo:rules [oncall-file] [--out FILE]';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const args = process.argv.slice(2);
let file: string | undefined;
let out: string | undefined;
for (let index = 0; index < args.length; index++) {
  const arg = args[index]!;
  if (arg === '--help' || arg === '-h') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  } else if (arg === '--out') {
    out = args[++index];
    if (out === undefined || out === '') fail(`--out needs a file name\n${USAGE}`);
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
try {
  const config = await loadOncallConfig(choice.path);
  const services = Object.values(config.services);
  const text = renderSloRules(services, shown);
  for (const note of servicesWithoutRules(services)) process.stderr.write(`note: ${note}\n`);
  const names = servicesWithRules(services).map((service) => service.name);
  const summary = `burn-rate alerts for ${names.length === 0 ? 'no service' : names.join(', ')}, from ${shown} (${choice.why})`;
  if (out === undefined) {
    process.stdout.write(text);
    process.stderr.write(`${summary}\n`);
  } else {
    await writeFile(out, text);
    process.stderr.write(`wrote ${out}: ${summary}\n`);
  }
} catch (error) {
  if (error instanceof OncallConfigError) fail(error.message);
  throw error;
}
