import { type Config, loadNotifyProviders } from '../config.js';
import { configuredChannels } from '../notify/providers.js';
import { formatOnCallReport } from './config-check.js';
import { fail, loadCliConfig, parseCliArgs } from './oncall-cli.js';
import { providerProblems } from './people.js';

/**
 * `npx tsx src/escalation/config-check-cli.ts [file] [--at 2026-12-24T18:00:00Z]`: validates an on-call
 * file and prints who is on call now (or at --at) and next on each schedule. Exit 1 on an invalid file.
 */
const USAGE = 'usage: config-check [file] [--at ISO-DATE-TIME]';

const { file, values } = parseCliArgs(process.argv.slice(2), USAGE, ['--at']);
const now = values['--at'] === undefined ? new Date() : new Date(values['--at']);
if (Number.isNaN(now.getTime())) fail(`--at needs a date-time such as 2026-12-24T18:00:00Z\n${USAGE}`);

const { config, shown } = await loadCliConfig(file, (shown, why) =>
  process.stdout.write(`Reading ${shown} (${why}).\n`),
);
// Rules name channels whose providers come from the environment: check them against this one.
let providers: Config['providers'];
try {
  providers = loadNotifyProviders(process.env);
} catch (error) {
  fail((error as Error).message);
}
const unreachable = providerProblems(config.people, configuredChannels(providers));
if (unreachable.length > 0) {
  fail(
    `${shown} names channels this environment cannot deliver:\n${unreachable.map((p) => `  - ${p}`).join('\n')}`,
  );
}
process.stdout.write(`${shown} is valid: ${formatOnCallReport(config, now)}\n`);
if (Object.values(config.schedules).some((schedule) => schedule.slackUsergroup)) {
  // The one question only Slack can answer: may this workspace and token have user groups at all?
  const { describeUsergroupAccess } = await import('../slack/usergroup-sync.js');
  process.stdout.write(`${await describeUsergroupAccess(process.env)}\n`);
}
