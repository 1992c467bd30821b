import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { waitFor } from '../helpers/wait-for.js';

const DELAY_MS = 300;
// Bob is on call; Carol, then Alice, are the next levels.
const ONCALL = oncallFixture({
  levels: [
    ['schedule:primary', `${DELAY_MS}ms`],
    ['user:{carol}', `${DELAY_MS}ms`],
    ['user:{alice}', '30s'],
  ],
  fastEscalation: true,
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ oncallYaml: ONCALL });
});
afterAll(async () => {
  await h?.stop();
});

describe('acknowledging at the moment a level fires', () => {
  it('never creates a page after the acknowledgement, over two hundred trials', async () => {
    const trials = 200;
    const batch = 10;
    const dmChannel = () => h.fake.dmChannelId(h.people.bob)!;
    let acked = 0;
    for (let start = 0; start < trials; start += batch) {
      await Promise.all(
        Array.from({ length: batch }, async (_, i) => {
          const n = start + i;
          const title = `Race ${n}`;
          const response = await h.driver.slashCommand({
            userId: h.people.alice,
            channelId: h.generalId,
            text: `create --severity SEV1 --title "${title}"`,
          });
          expect(response.status).toBe(200);
          // On a busy machine the answer is the "working on it" form without `#N`: the database,
          // not the wording, says which incident this trial declared (titles are unique per trial).
          const { number } = await waitFor(
            () =>
              queryRows<{ number: number }>(h.databaseUrl, 'SELECT number FROM incidents WHERE title = $1', [
                title,
              ]).then((rows) => rows[0]),
            { timeoutMs: 30_000, what: `incident "${title}"` },
          );
          const [first] = await waitFor(
            async () => {
              const rows = await queryRows<{ created_at: Date }>(
                h.databaseUrl,
                'SELECT p.created_at FROM pages p JOIN incidents i ON i.id = p.incident_id WHERE i.number = $1 ORDER BY p.id',
                [number],
              );
              return rows.length ? rows : null;
            },
            { timeoutMs: 30_000, what: `the first page of #${number}` },
          );
          const dm = await waitFor(
            () =>
              h.fake
                .messages(dmChannel())
                .find((m) => m.text.includes(`incident #${number} `) && m.text.includes('You are paged')),
            { timeoutMs: 30_000, what: `the page DM for #${number}` },
          );
          // Aim the click at level 2's firing time, ± 60 ms.
          const target = first!.created_at.getTime() + DELAY_MS + (Math.random() * 120 - 60);
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, target - Date.now())));
          await h.driver.clickButton({
            userId: h.people.bob,
            channelId: dmChannel(),
            messageTs: dm.ts,
            actionId: 'escalation-ack',
          });
          acked++;
        }),
      );
    }
    expect(acked).toBe(trials);
    // Let any timer that lost the race run (and find itself stale).
    await new Promise((resolve) => setTimeout(resolve, DELAY_MS * 3));
    const late = await queryRows(
      h.databaseUrl,
      `SELECT p.id FROM pages p JOIN escalations e ON e.incident_id = p.incident_id
       WHERE e.acknowledged_at IS NOT NULL AND p.created_at > e.acknowledged_at`,
    );
    expect(late).toEqual([]);
    const states = await queryRows<{ state: string; n: number }>(
      h.databaseUrl,
      'SELECT state, count(*)::int AS n FROM escalations GROUP BY state',
    );
    expect(states).toEqual([{ state: 'acknowledged', n: trials }]);
    // Each incident was paged at level 1, and some at level 2 when the ack came just after it fired.
    const perIncident = await queryRows<{ n: number }>(
      h.databaseUrl,
      'SELECT count(*)::int AS n FROM pages GROUP BY incident_id',
    );
    expect(perIncident).toHaveLength(trials);
    expect(perIncident.every((r) => r.n >= 1 && r.n <= 3)).toBe(true);
  }, 600_000);
});
