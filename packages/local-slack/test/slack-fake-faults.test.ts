import { ErrorCode, WebAPIHTTPError, WebAPIRateLimitedError } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { slackError, startFake } from './fake-fixture.js';

describe('slack fake: fault injection', () => {
  it('answers 429 with Retry-After, which WebClient turns into a rate-limit error', async () => {
    const { fake, client } = await startFake({}, { rejectRateLimitedCalls: true });
    fake.injectFault('chat.postMessage', { rateLimited: { retryAfterSec: 7 } });
    const error = await client.chat.postMessage({ channel: 'general', text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect((error as WebAPIRateLimitedError).code).toBe(ErrorCode.RateLimitedError);
    expect((error as WebAPIRateLimitedError).retryAfter).toBe(7);
    expect(fake.messages('general')).toEqual([]);

    await client.chat.postMessage({ channel: 'general', text: 'x' });
    expect(fake.messages('general')).toHaveLength(1);
  });

  it('answers 5xx, which WebClient reports as an HTTP error', async () => {
    const { fake, client } = await startFake();
    fake.injectFault('conversations.create', { httpStatus: 503 });
    const error = await client.conversations.create({ name: 'inc-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIHTTPError);
    expect((error as WebAPIHTTPError).statusCode).toBe(503);
    expect(fake.getChannel('inc-1')).toBeUndefined();
  });

  it('returns a chosen ok:false error for the next N calls, without touching state, then recovers', async () => {
    const { fake, client } = await startFake();
    fake.injectFault('conversations.create', { error: 'name_taken' }, 2);
    expect(await slackError(client.conversations.create({ name: 'inc-1' }))).toBe('name_taken');
    expect(await slackError(client.conversations.create({ name: 'inc-1' }))).toBe('name_taken');
    expect(fake.getChannel('inc-1')).toBeUndefined();
    expect((await client.conversations.create({ name: 'inc-1' })).ok).toBe(true);
  });

  it("matches every method with '*', and clearFaults removes pending faults", async () => {
    const { fake, client } = await startFake();
    fake.injectFault('*', { error: 'internal_error' }, 5);
    expect(await slackError(client.auth.test())).toBe('internal_error');
    fake.clearFaults();
    expect((await client.auth.test()).ok).toBe(true);
  });

  it('logs every call with parsed arguments and its outcome, faulted or not', async () => {
    let now = 1_750_000_000_000;
    const { fake, client } = await startFake({ clock: () => now });
    fake.injectFault('chat.postMessage', { httpStatus: 500 });
    await client.chat.postMessage({ channel: 'general', text: 'lost' }).catch(() => undefined);
    now += 1000;
    await client.chat.postMessage({ channel: 'general', text: 'kept', blocks: [{ type: 'divider' }] });
    await client.conversations.info({ channel: 'CNOPE000000' }).catch(() => undefined);

    expect(fake.calls('chat.postMessage')).toEqual([
      {
        method: 'chat.postMessage',
        args: { channel: 'general', text: 'lost' },
        at: 1_750_000_000_000,
        status: 500,
        ok: false,
        faulted: true,
      },
      {
        method: 'chat.postMessage',
        args: { channel: 'general', text: 'kept', blocks: [{ type: 'divider' }] },
        at: 1_750_000_001_000,
        status: 200,
        ok: true,
        faulted: false,
      },
    ]);
    expect(fake.calls().map((c) => [c.method, c.error])).toEqual([
      ['chat.postMessage', undefined],
      ['chat.postMessage', undefined],
      ['conversations.info', 'channel_not_found'],
    ]);
    fake.resetCalls();
    expect(fake.calls()).toEqual([]);
  });
});

describe('slack fake: response_url', () => {
  it('records posts, shows them to the user, and refuses after the use limit', async () => {
    const { fake } = await startFake({ responseUrlMaxUses: 2 });
    const alice = fake.addUser({ name: 'alice' });
    const url = fake.createResponseUrl({ channelId: 'general', userId: alice.id });
    expect(url.startsWith(`${fake.baseUrl}/response/`)).toBe(true);
    const post = (body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    expect((await post({ text: 'Declaring…' })).status).toBe(200);
    expect((await post({ text: 'Declared', response_type: 'in_channel' })).status).toBe(200);
    const third = await post({ text: 'one too many' });
    expect(third.status).toBe(404);
    expect(await third.text()).toBe('used_url');

    expect(fake.responses(url).map((r) => r.body)).toEqual([
      { text: 'Declaring…' },
      { text: 'Declared', response_type: 'in_channel' },
    ]);
    expect(fake.ephemerals().map((e) => [e.user, e.text])).toEqual([[alice.id, 'Declaring…']]);
    expect(fake.messages('general').map((m) => m.text)).toEqual(['Declared']);
  });

  it('expires response URLs after 30 minutes', async () => {
    let now = 1_750_000_000_000;
    const { fake } = await startFake({ clock: () => now });
    const url = fake.createResponseUrl();
    now += 30 * 60 * 1000 + 1;
    const response = await fetch(url, { method: 'POST', body: JSON.stringify({ text: 'late' }) });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('expired_url');
  });

  it('starts over on reset()', async () => {
    const { fake, client } = await startFake();
    await client.conversations.create({ name: 'inc-1' });
    fake.injectFault('auth.test', { error: 'invalid_auth' });
    fake.reset();
    expect(fake.getChannel('inc-1')).toBeUndefined();
    expect(fake.getChannel('general')).toBeDefined();
    expect(fake.calls()).toEqual([]);
    expect((await client.auth.test()).ok).toBe(true);
  });
});
