/**
 * `local-slack`: the local Slack for any Slack app, from a terminal.
 *
 *   npm start -w @incident-bot/local-slack -- --app-url http://127.0.0.1:3000/slack/events
 */
import { type LocalSlackOptions, parseCliArgs, startLocalSlack, USAGE, UsageError } from './standalone.js';

async function main(): Promise<void> {
  let options: LocalSlackOptions | 'help';
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const running = await startLocalSlack(options).catch((error: unknown) => {
    console.error(
      `The local Slack could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  });
  console.log(
    [
      `local Slack: open ${running.pageUrl}`,
      'Run your app with:',
      `  SLACK_API_URL=${running.apiUrl}`,
      `  SLACK_BOT_TOKEN=${options.botToken ?? 'xoxb-sandbox-token'}`,
      `  SLACK_SIGNING_SECRET=${options.signingSecret}`,
      `Requests go to ${options.appUrl}`,
    ].join('\n'),
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      running.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

await main();
