import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BotProcess } from '../helpers/bot-process.js';
import { queryRows } from '../helpers/incidents-db.js';
import { oncallFixture, writeOncallFile } from '../helpers/oncall-fixture.js';
import { type ProcessStack, startProcessStack } from '../helpers/process-stack.js';
import { startPushReceiver } from '../helpers/push-receiver.js';
import { startTwilioFake, type TwilioFake } from '../helpers/twilio-fake.js';
import { waitFor } from '../helpers/wait-for.js';

const BOB_PHONE = '+15551230001';
const ONCALL = `${oncallFixture({ levels: [['user:{bob}', '5m']], fastEscalation: true })}
people:
  "{bob}":
    phone: "${BOB_PHONE}"
    push_topic: bob-pages
    notify:
      - { via: push, after: 0s }
      - { via: sms, after: 3s }
      - { via: voice, after: 5s }
`;

describe('notification steps when the worker is killed between two steps (separate processes)', () => {
  let stack: ProcessStack;
  let twilio: TwilioFake;
  let push: Awaited<ReturnType<typeof startPushReceiver>>;

  beforeAll(async () => {
    [twilio, push] = await Promise.all([startTwilioFake(), startPushReceiver()]);
    stack = await startProcessStack(inject('postgresAdminUrl'), async (slack) => ({
      ONCALL_CONFIG: await writeOncallFile(ONCALL, slack.people),
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: '+15550001111',
      TWILIO_API_URL: twilio.url,
      PUSH_URL: push.url,
    }));
    await stack.start('web');
    await stack.start('worker');
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([twilio?.close(), push?.close()]);
  });

  it('loses no step and repeats none, even with Redis emptied while no worker runs', async () => {
    const { slack, databaseUrl, processes } = stack;
    const [web, worker] = processes as [BotProcess, BotProcess];
    await stack.driverFor(web).slashCommand({
      userId: slack.people.alice,
      channelId: slack.fake.getChannel('general')!.id,
      text: 'create --severity SEV1 --title "Worker dies between steps"',
    });
    // Between two steps: the push is recorded as sent (a kill mid-send is the lease's case, not this one).
    await waitFor(
      async () =>
        (await queryRows(databaseUrl, `SELECT 1 FROM deliveries WHERE step = 0 AND status = 'sent'`))
          .length === 1,
      { timeoutMs: 30_000, what: 'the first step (push) recorded as sent' },
    );
    worker.kill('SIGKILL');
    await worker.exited;
    // No worker while the SMS falls due, and Redis loses its delayed jobs: only Postgres remembers.
    const admin = new Redis(stack.redis.url);
    await admin.flushall();
    admin.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 3500));
    await stack.start('worker');
    const rows = await waitFor(
      async () => {
        const all = await queryRows<{ step: number; channel: string; status: string; receipt: string }>(
          databaseUrl,
          'SELECT step, channel, status, receipt FROM deliveries ORDER BY step',
        );
        return all.length === 3 && all.every((r) => r.status !== 'pending') ? all : null;
      },
      { timeoutMs: 60_000, what: 'every step to be delivered after the restart' },
    );
    expect(rows.map((r) => [r.step, r.channel, r.status])).toEqual([
      [0, 'push', 'sent'],
      [1, 'sms', 'sent'],
      [2, 'voice', 'sent'],
    ]);
    // Each provider got each step once, and the row holds its receipt.
    expect(push.received).toHaveLength(1);
    // (Both fell due while no worker ran: the restarted one sends them together, in either order.)
    expect(twilio.sent.map((m) => `${m.resource} ${m.fields.To}`).sort()).toEqual([
      `Calls ${BOB_PHONE}`,
      `Messages ${BOB_PHONE}`,
    ]);
    expect(
      rows
        .slice(1)
        .map((r) => r.receipt)
        .sort(),
    ).toEqual(twilio.sent.map((m) => m.sid).sort());
  }, 120_000);
});
