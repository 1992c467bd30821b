import { type Logger, LogLevel, WebClient } from '@slack/web-api';
import { afterEach } from 'vitest';
import { createSlackFake, type SlackFake, type SlackFakeOptions } from '../src/slack-fake/index.js';

/** A started fake plus a real WebClient pointed at it; both go away after the test. */
export async function startFake(
  options: SlackFakeOptions = {},
  clientOptions: { rejectRateLimitedCalls?: boolean } = {},
): Promise<{ fake: SlackFake; client: WebClient }> {
  const fake = createSlackFake(options);
  await fake.start();
  stopAfterTest.push(() => fake.stop());
  const client = new WebClient(fake.config.botToken, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logger: silentLogger,
    ...clientOptions,
  });
  return { fake, client };
}

/** Error codes are asserted, so WebClient's own logging of them is only noise. */
const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

const stopAfterTest: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(stopAfterTest.splice(0).map((stop) => stop()));
});

/** The Slack error code of a failed Web API call (fails the test if the call succeeded). */
export async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const data = (error as { data?: { error?: string } }).data;
    if (data?.error) return data.error;
    throw error;
  }
  throw new Error('expected the Slack call to fail');
}
