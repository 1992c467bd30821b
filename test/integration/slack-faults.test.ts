import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { waitFor } from '../helpers/wait-for.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function declare(title: string, userId = h.people.alice) {
  const started = Date.now();
  const response = await h.driver.slashCommand({
    userId,
    channelId: h.generalId,
    text: `create --title "${title}"`,
  });
  const ackMs = Date.now() - started;
  const number = Number(/#(\d+)/.exec((response.body as { text: string }).text)![1]);
  return { response, ackMs, number };
}

const settled = (number: number, timeoutMs = 20_000) =>
  waitFor(
    async () => {
      const [row] = await queryRows(
        h.databaseUrl,
        'SELECT * FROM incidents LEFT JOIN slack_incident_presence ON incident_id = id WHERE number = $1',
        [number],
      );
      return row?.setup_completed_at || row?.setup_failed_at ? row : null;
    },
    { timeoutMs, what: `incident ${number} set-up` },
  );

describe('when Slack misbehaves during channel set-up', () => {
  it('waits out a 429 with Retry-After on conversations.create and still completes the incident; the ack does not wait', async () => {
    h.fake.injectFault('conversations.create', { rateLimited: { retryAfterSec: 2 } }, 1);
    const { ackMs, number } = await declare('Rate limited declare');
    // The answer to Slack went out long before the 2 s Retry-After elapsed.
    expect(ackMs).toBeLessThan(1500);
    const row = await settled(number);
    expect(row.setup_completed_at).not.toBeNull();
    expect(row.channel_name).toBe(`inc-${number}-rate-limited-declare`);
    const creates = h.fake.calls('conversations.create').filter((c) => c.args.name === row.channel_name);
    expect(creates.map((c) => c.status)).toEqual([429, 200]);
    expect(creates[1]!.at - creates[0]!.at).toBeGreaterThanOrEqual(1900);
    expect(h.fake.pins(row.channel_id as string)).toHaveLength(1);
  });

  it('tolerates already_in_channel when inviting', async () => {
    h.fake.injectFault('conversations.invite', { error: 'already_in_channel' }, 5);
    const { number } = await declare('Already in channel');
    const row = await settled(number);
    expect(row.setup_completed_at).not.toBeNull();
    expect(row.setup_steps).toEqual(['channel', 'invite', 'topic', 'headline', 'pin', 'announce', 'notify']);
    // No complaint was posted about inviting anyone.
    expect(h.fake.messages(row.channel_id as string).some((m) => m.text.includes('could not invite'))).toBe(
      false,
    );
  });

  it('retries 5xx answers and posts the headline exactly once', async () => {
    h.fake.injectFault('chat.postMessage', { httpStatus: 503 }, 2);
    const { number } = await declare('Flaky Slack');
    const row = await settled(number);
    expect(row.setup_completed_at).not.toBeNull();
    const headlines = h.fake
      .messages(row.channel_id as string)
      .filter((m) => m.text.startsWith(`Incident #${number} `));
    expect(headlines).toHaveLength(1);
  });

  it('reports a step Slack refuses in the channel, and finishes the rest', async () => {
    h.fake.injectFault('pins.add', { error: 'too_many_pins' }, 1);
    const { number } = await declare('Pin refused');
    const row = await settled(number);
    expect(row.setup_completed_at).not.toBeNull();
    const report = await waitFor(() =>
      h.fake
        .messages(row.channel_id as string)
        .find((m) => m.text.includes('could not pin the headline card')),
    );
    expect(report.text).toContain('too_many_pins');
    const events = await queryRows<{ kind: string; details: { step: string } }>(
      h.databaseUrl,
      'SELECT kind, details FROM timeline_events WHERE incident_id = $1 ORDER BY id',
      [row.id],
    );
    expect(events.map((e) => e.kind)).toContain('incident.setup_step_failed');
    expect(row.announce_ts).not.toBeNull();
  });

  it('tells the reporter when Slack refuses to create the channel at all', async () => {
    h.fake.injectFault('conversations.create', { error: 'restricted_action' }, 1);
    const { number } = await declare('Channel creation forbidden', h.people.bob);
    const row = await settled(number);
    expect(row.setup_failed_at).not.toBeNull();
    expect(row.channel_id).toBeNull();
    const dm = h.fake.dmChannelId(h.people.bob)!;
    const message = await waitFor(() =>
      h.fake.messages(dm).find((m) => m.text.includes(`Incident #${number}`)),
    );
    expect(message.text).toContain('restricted_action');
  });

  it('adopts a channel a crashed set-up created but never recorded, instead of making a second one', async () => {
    // Simulate the crash: the channel exists, created by the bot, but Postgres does not know it.
    const { number } = await declare('Crash after create');
    await settled(number);
    const [row] = await queryRows(
      h.databaseUrl,
      'SELECT * FROM incidents LEFT JOIN slack_incident_presence ON incident_id = id WHERE number = $1',
      [number],
    );
    await queryRows(
      h.databaseUrl,
      "UPDATE incidents SET channel_id = NULL, declared_at = now() - interval '1 minute' WHERE id = $1",
      [row!.id],
    );
    await queryRows(
      h.databaseUrl,
      `UPDATE slack_incident_presence SET setup_steps = '{}', setup_completed_at = NULL, headline_ts = NULL,
         announce_ts = NULL WHERE incident_id = $1`,
      [row!.id],
    );
    // …and its outbox row was never marked done: the reconciler hands it to a worker again.
    await queryRows(
      h.databaseUrl,
      "UPDATE outbox SET done_at = NULL, deadline_at = now() - interval '1 second' WHERE key = $1",
      [`setup-inc-${row!.id}`],
    );
    const channelsBefore = h.fake.listChannels().length;
    const again = await settled(number);
    expect(again.channel_id).toBe(row!.channel_id);
    expect(h.fake.listChannels().length).toBe(channelsBefore);
    // The headline and announcement already posted were found again, not duplicated.
    expect(again.headline_ts).toBe(row!.headline_ts);
    expect(again.announce_ts).toBe(row!.announce_ts);
  });
});
