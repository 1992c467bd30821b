import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BotProcess } from '../helpers/bot-process.js';
import { incidentRow, queryRows } from '../helpers/incidents-db.js';
import { type ProcessStack, startProcessStack } from '../helpers/process-stack.js';
import { waitFor } from '../helpers/wait-for.js';

describe('a worker killed with SIGKILL after Slack took an effect but before it was marked done', () => {
  let stack: ProcessStack;

  beforeAll(async () => {
    stack = await startProcessStack(inject('postgresAdminUrl'), (slack) => ({
      INCIDENT_ANNOUNCE_CHANNEL: slack.fake.getChannel('incidents')!.id,
    }));
    await stack.start('web');
    await stack.start('worker');
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('posts the status update once', async () => {
    const { slack, databaseUrl, env, processes } = stack;
    const [web, worker] = processes as [BotProcess, BotProcess];
    const driver = stack.driverFor(web);
    const declared = await driver.slashCommand({
      userId: slack.people.alice,
      channelId: slack.fake.getChannel('general')!.id,
      text: 'create --severity SEV3 --title "Crash after post"',
    });
    const number = Number(/#(\d+)/.exec((declared.body as { text: string }).text)![1]);
    const incident = await waitFor(
      async () => {
        const row = await incidentRow<{
          channel_id: string;
          announce_ts: string | null;
          setup_completed_at: Date | null;
        }>(databaseUrl, number);
        return row?.setup_completed_at ? row : null;
      },
      { timeoutMs: 20_000, what: 'the incident channel' },
    );

    // Slack will post the update, then answer only after 5 s: the worker is killed in between.
    slack.fake.injectFault('chat.postMessage', { delayResponseMs: 5000 }, 1);
    const response = await driver.slashCommand({
      userId: slack.people.alice,
      channelId: incident.channel_id,
      text: 'update Rolled the canary back',
    });
    expect(response.status).toBe(200);
    const posted = () =>
      slack.fake.messages(incident.channel_id).filter((m) => m.text.includes('Rolled the canary back'));
    await waitFor(() => posted().length === 1, { timeoutMs: 15_000, what: 'the update to reach Slack' });
    worker.kill('SIGKILL');
    await worker.exited;
    const [row] = await queryRows<{ done_at: Date | null }>(
      databaseUrl,
      "SELECT done_at FROM outbox WHERE job = 'incident.update_posted'",
    );
    expect(row?.done_at).toBeNull();

    await stack.start('worker');
    await waitFor(
      async () => {
        const [r] = await queryRows<{ done_at: Date | null }>(
          databaseUrl,
          "SELECT done_at FROM outbox WHERE job = 'incident.update_posted'",
        );
        return r?.done_at ? r : null;
      },
      { timeoutMs: 60_000, what: 'the restarted worker to finish the update job' },
    );
    expect(posted()).toHaveLength(1);
    // The copy under the announcement is posted too, once.
    const thread = slack.fake
      .replies(env.INCIDENT_ANNOUNCE_CHANNEL!, incident.announce_ts!)
      .filter((m) => m.text.includes('Rolled the canary back'));
    expect(thread).toHaveLength(1);
  }, 120_000);
});
