import { writeFile } from 'node:fs/promises';
import { loadCliConfig, parseCliArgs } from './oncall-cli.js';
import { renderSloRules, servicesWithoutRules, servicesWithRules } from './slo-rules.js';

/**
 * `npm run slo:rules -- [file] [--out FILE]`: Prometheus alerting rules for every service of the on-call
 * file (the one the bot reads, as `npm run config:check` chooses it) with an `slo` and an `sli`. The rules
 * go to standard output, or to FILE; notes and errors go to standard error. Exit 1 on an invalid file.
 */
const USAGE = 'usage: slo:rules [oncall-file] [--out FILE]';

const { file, values } = parseCliArgs(process.argv.slice(2), USAGE, ['--out']);
const out = values['--out'];
const { config, shown, why } = await loadCliConfig(file);
const services = Object.values(config.services);
const text = renderSloRules(services, shown);
for (const note of servicesWithoutRules(services)) process.stderr.write(`note: ${note}\n`);
const names = servicesWithRules(services).map((service) => service.name);
const summary = `burn-rate alerts for ${names.length === 0 ? 'no service' : names.join(', ')}, from ${shown} (${why})`;
if (out === undefined) {
  process.stdout.write(text);
  process.stderr.write(`${summary}\n`);
} else {
  await writeFile(out, text);
  process.stderr.write(`wrote ${out}: ${summary}\n`);
}
