import { expect } from 'vitest';
import type { Harness } from './bot-harness.js';
import { waitFor } from './wait-for.js';

/** Runs `/incident <text>` as `userId` in `channelId`; the answer, at once or later on the response URL. */
export async function commandAnswer(
  h: Pick<Harness, 'driver' | 'fake'>,
  userId: string,
  channelId: string,
  text: string,
): Promise<string> {
  const response = await h.driver.slashCommand({ userId, channelId, text });
  expect(response.status).toBe(200);
  const body = response.body as { text?: string } | '';
  const now = body === '' ? undefined : body.text;
  if (now && !now.includes('Working on it')) return now;
  const later = await waitFor(() => h.fake.responses(response.responseUrl).at(-1), {
    what: `an answer to ${text}`,
  });
  return (later.body as { text: string }).text;
}
