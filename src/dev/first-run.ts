/**
 * What `npm start` says while it brings the sandbox up: one line per step, with how long it took,
 * so a first run that installs Redis or creates a database does not look hung.
 */
export function createStepReporter(write: (line: string) => void = (line) => console.log(line)) {
  return async function step<T>(label: string, work: () => Promise<T> | T, detail?: (result: T) => string) {
    const started = performance.now();
    const result = await work();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const extra = detail ? `: ${detail(result)}` : '';
    write(`  ✓ ${label}${extra} (${seconds} s)`);
    return result;
  };
}

export type StepReporter = ReturnType<typeof createStepReporter>;

/** The first thing a newcomer reads in #general of a fresh sandbox: the two commands to try. */
export const SANDBOX_GREETING = [
  ':wave: Welcome to the incident-bot sandbox: a local Slack with the real bot behind it.',
  'Try these first, in this channel:',
  '• `/incident create --severity SEV2 --title "API Latency Spike"`: declares an incident, opens its channel and pages Bob, who is on call',
  '• `/incident oncall`: who is on call now, and who is next',
  'Bob is also paged by email, push, SMS and a call: see them under 📮 Outbox in the sidebar (nothing leaves this machine).',
].join('\n');

/** Posts the greeting as the bot, through the local Slack's Web API like any bot message. */
export async function greetNewcomer(apiUrl: string, botToken: string, channel: string): Promise<void> {
  const response = await fetch(`${apiUrl}chat.postMessage`, {
    method: 'POST',
    headers: { authorization: `Bearer ${botToken}`, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ channel, text: SANDBOX_GREETING, mrkdwn: true }),
  });
  const reply = (await response.json()) as { ok: boolean; error?: string };
  if (!reply.ok) throw new Error(`could not post the sandbox greeting: ${reply.error}`);
}
