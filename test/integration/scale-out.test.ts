import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { queryRows } from '../helpers/incidents-db.js';
import { type ProcessStack, startProcessStack } from '../helpers/process-stack.js';
import { waitFor } from '../helpers/wait-for.js';

// Two web and two worker processes, as production would scale them, on one Postgres and one Redis.
let stack: ProcessStack;

beforeAll(async () => {
  stack = await startProcessStack(inject('postgresAdminUrl'), (slack) => ({
    INCIDENT_ANNOUNCE_CHANNEL: slack.fake.getChannel('incidents')!.id,
  }));
  // Start them together: migrations run under an advisory lock, whoever comes first.
  await Promise.all((['web', 'web', 'worker', 'worker'] as const).map((role) => stack.start(role)));
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('scaled out: two web and two worker processes', () => {
  it('makes every incident exactly once, with one channel each, whichever instance Slack reaches', async () => {
    const { slack, databaseUrl, processes } = stack;
    const drivers = processes.filter((p) => p.role === 'web').map(stack.driverFor);
    const { alice } = slack.people;
    const generalId = slack.fake.getChannel('general')!.id;
    const total = 12;
    const bodies = Array.from({ length: total }, (_, i) =>
      new URLSearchParams({
        team_id: slack.fake.config.teamId,
        channel_id: generalId,
        user_id: alice,
        command: '/incident',
        text: `create --severity SEV2 --title "Scale test ${i + 1}"`,
        trigger_id: slack.fake.issueTriggerId(alice),
        response_url: slack.fake.createResponseUrl({ channelId: generalId, userId: alice }),
      }).toString(),
    );
    // Every request reaches both web instances at once, as a load balancer retrying might deliver it.
    const responses = await Promise.all(bodies.flatMap((body) => drivers.map((driver) => driver.post(body))));
    for (const r of responses) expect(r.status).toBe(200);
    // Each title is declared once: one ':rotating_light: Declared' answer per title, either in the
    // ack or, when the machine is busy and the ack is the "Working on it…" form, on its response_url.
    const answers = responses.map((r) => (r.body as { text: string }).text);
    for (const text of answers)
      expect(text).toMatch(/^(:rotating_light: Declared|Already declared:|:hourglass)/);
    const followUps = await waitFor(
      () => {
        const texts = slack.fake.responses().map((post) => JSON.stringify(post.body));
        const pending = answers.filter((text) => text.startsWith(':hourglass')).length;
        return texts.length >= pending ? texts : null;
      },
      { timeoutMs: 30_000, what: 'the follow-ups of answers that took long' },
    );
    const declared = [...answers, ...followUps].filter((text) => text.includes(':rotating_light: Declared'));
    expect(declared).toHaveLength(total);

    const rows = await waitFor(
      async () => {
        const found = await queryRows(
          databaseUrl,
          'SELECT * FROM incidents LEFT JOIN slack_incident_presence ON incident_id = id ORDER BY number',
        );
        return found.length === total && found.every((r) => r.setup_completed_at) ? found : null;
      },
      { timeoutMs: 30_000, what: 'every set-up to finish' },
    );
    expect(rows.map((r) => r.number)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const channels = slack.fake.listChannels().filter((c) => c.name?.startsWith('inc-'));
    expect(channels).toHaveLength(total);
    expect(new Set(rows.map((r) => r.channel_id)).size).toBe(total);
    expect(slack.fake.calls('conversations.create').filter((c) => c.ok)).toHaveLength(total);
    for (const row of rows) {
      const headlines = slack.fake
        .messages(row.channel_id as string)
        .filter((m) => m.text.startsWith(`Incident #${row.number} `));
      expect(headlines).toHaveLength(1);
    }
  });

  it('shuts a worker down gracefully on SIGTERM', async () => {
    const worker = stack.processes.find((p) => p.role === 'worker')!;
    worker.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('shutting down');
  });
});
