import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { waitFor } from '../helpers/wait-for.js';

// Bob is on call in the primary schedule; Carol (by email) is level 2. Delays are scaled down.
const ONCALL = oncallFixture({
  levels: [
    ['schedule:primary', '1200ms'],
    ['user:carol@acme.test', '1200ms'],
  ],
  repeat: 1,
  policies: {
    slow: {
      levels: [
        ['schedule:primary', '20s'],
        ['user:carol@acme.test', '20s'],
      ],
    },
    flappy: { levels: [['schedule:primary', '20s']], ackTimeout: '1s' },
  },
  services: { search: { policy: 'slow' }, flaky: { policy: 'flappy' } },
  // Carol, not in the rota, may take the pager as an admin (override-access.ts).
  admins: ['carol@acme.test'],
  autoPage: ['SEV1', 'SEV2'],
  fastEscalation: true,
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ oncallYaml: ONCALL });
});
afterAll(async () => {
  await h?.stop();
});

async function declare(text: string): Promise<number> {
  const response = await h.driver.slashCommand({
    userId: h.people.alice,
    channelId: h.generalId,
    text: `create ${text}`,
  });
  return Number(/#(\d+)/.exec((response.body as { text: string }).text)![1]);
}

const incidentId = async (number: number) =>
  (await queryRows<{ id: number }>(h.databaseUrl, 'SELECT id FROM incidents WHERE number = $1', [number]))[0]!
    .id;
const pages = (id: number) =>
  queryRows<{
    step: number;
    loop: number;
    target: string;
    user_id: string;
    status: string;
    created_at: Date;
  }>(h.databaseUrl, 'SELECT * FROM pages WHERE incident_id = $1 ORDER BY id', [id]);
const timeline = async (id: number) =>
  (
    await queryRows<{ kind: string }>(
      h.databaseUrl,
      'SELECT kind FROM timeline_events WHERE incident_id = $1 ORDER BY id',
      [id],
    )
  ).map((e) => e.kind);
const pageDm = (userId: string, number: number) =>
  waitFor(
    () =>
      h.fake
        .messages(h.fake.dmChannelId(userId) ?? 'none')
        .find((m) => m.text.includes(`incident #${number} `)),
    {
      what: `a page DM to ${userId} for #${number}`,
    },
  );

/** The paged person presses a button on their page DM. */
const pressOnPage = (userId: string, dm: { ts: string }, actionId: string) =>
  h.driver.clickButton({ userId, channelId: h.fake.dmChannelId(userId)!, messageTs: dm.ts, actionId });

describe('paging through an escalation policy', () => {
  it('pages level 1, then level 2 after its delay, loops, and says when nobody acknowledged', async () => {
    const number = await declare('--severity SEV1 --title "Nobody answers"');
    const id = await incidentId(number);
    const bobDm = await pageDm(h.people.bob, number);
    expect(bobDm.text).toContain('You are paged for incident');
    expect(JSON.stringify(bobDm.blocks)).toContain('escalation-ack');
    expect(JSON.stringify(bobDm.blocks)).toContain('escalation-escalate');
    await pageDm(h.people.carol, number);
    const all = await waitFor(
      async () => {
        const [esc] = await queryRows<{ state: string }>(
          h.databaseUrl,
          'SELECT state FROM escalations WHERE incident_id = $1',
          [id],
        );
        return esc?.state === 'exhausted' ? pages(id) : null;
      },
      { timeoutMs: 15_000, what: 'the escalation to run out' },
    );
    expect(all.map((p) => [p.loop, p.step, p.user_id])).toEqual([
      [0, 0, h.people.bob],
      [0, 1, h.people.carol],
      [1, 0, h.people.bob],
      [1, 1, h.people.carol],
    ]);
    // Level 2 waited for level 1's delay. Measured between the two decisions (the timeline's
    // `escalation.paged` times), not the page rows' insert times, which a loaded database can delay.
    const paged = await queryRows<{ occurred_at: Date }>(
      h.databaseUrl,
      `SELECT occurred_at FROM timeline_events WHERE incident_id = $1 AND kind = 'escalation.paged' ORDER BY id`,
      [id],
    );
    expect(paged.length).toBe(4);
    expect(paged[1]!.occurred_at.getTime() - paged[0]!.occurred_at.getTime()).toBeGreaterThanOrEqual(1200);
    const [row] = await queryRows(h.databaseUrl, 'SELECT channel_id FROM incidents WHERE id = $1', [id]);
    const nobody = await waitFor(() =>
      h.fake.messages(row!.channel_id as string).find((m) => m.text.includes('Nobody acknowledged')),
    );
    expect(nobody.text).toContain('after 2 passes');
    // The channel hears of each page once its DM went out (the last may still be in flight).
    await waitFor(
      () =>
        h.fake.messages(row!.channel_id as string).filter((m) => m.text.startsWith(':pager: Paged'))
          .length === 4,
      { what: 'a channel line per page' },
    );
    expect(await timeline(id)).toEqual(
      expect.arrayContaining(['escalation.started', 'escalation.paged', 'escalation.exhausted']),
    );
  });

  it('stops at the first acknowledgement, edits the DM and tells the channel', async () => {
    const number = await declare('--severity SEV2 --title "Ack me" --service search');
    const id = await incidentId(number);
    const dm = await pageDm(h.people.bob, number);
    const channel = h.fake.dmChannelId(h.people.bob)!;
    const click = await pressOnPage(h.people.bob, dm, 'escalation-ack');
    expect(click.status).toBe(200);
    const edited = await waitFor(() => {
      const m = h.fake.getMessage(channel, dm.ts);
      return m?.text.includes('acknowledged by') ? m : null;
    });
    expect(edited.text).toBe(`Incident #${number} was acknowledged by <@${h.people.bob}>`);
    const [row] = await queryRows(h.databaseUrl, 'SELECT channel_id FROM incidents WHERE id = $1', [id]);
    await waitFor(() =>
      h.fake.messages(row!.channel_id as string).find((m) => m.text.includes('acknowledged the page')),
    );
    expect(await timeline(id)).toContain('escalation.acknowledged');
    expect((await pages(id)).map((p) => p.user_id)).toEqual([h.people.bob]);
    // The acknowledger is brought into the incident channel.
    expect(h.fake.members(row!.channel_id as string)).toContain(h.people.bob);
  });

  it('lets exactly one of 50 concurrent acknowledgements win; the others are told who acknowledged', async () => {
    const number = await declare('--severity SEV2 --title "Click storm" --service search');
    const id = await incidentId(number);
    const dm = await pageDm(h.people.bob, number);
    const clicks = await Promise.all(
      Array.from({ length: 50 }, () => pressOnPage(h.people.bob, dm, 'escalation-ack')),
    );
    for (const c of clicks) expect(c.status).toBe(200);
    const refusals = await waitFor(() => {
      const answered = clicks.map((c) => h.fake.responses(c.responseUrl).at(-1)).filter(Boolean);
      return answered.length >= 49 ? answered : null;
    });
    expect(refusals.filter((r) => JSON.stringify(r).includes('Already acknowledged'))).toHaveLength(49);
    expect((await timeline(id)).filter((k) => k === 'escalation.acknowledged')).toHaveLength(1);
  });

  it('escalates to the next level at once on Escalate now, and ignores a stale button', async () => {
    const number = await declare('--severity SEV1 --title "Escalate me" --service search');
    const id = await incidentId(number);
    const dm = await pageDm(h.people.bob, number);
    await pressOnPage(h.people.bob, dm, 'escalation-escalate');
    // Carol is paged long before the policy's 20 s.
    await pageDm(h.people.carol, number);
    const stale = await pressOnPage(h.people.bob, dm, 'escalation-escalate');
    const answer = await waitFor(() => h.fake.responses(stale.responseUrl).at(-1));
    expect(JSON.stringify(answer)).toContain('moved on');
    expect((await pages(id)).map((p) => p.user_id)).toEqual([h.people.bob, h.people.carol]);
  });

  it('pages again when an acknowledged incident stays unresolved past the ack timeout', async () => {
    const number = await declare('--severity SEV1 --title "Acked then forgotten" --service flaky');
    const id = await incidentId(number);
    const dm = await pageDm(h.people.bob, number);
    await pressOnPage(h.people.bob, dm, 'escalation-ack');
    const again = await waitFor(
      async () => {
        const rows = await pages(id);
        return rows.length === 2 && rows.every((p) => p.user_id) ? rows : null;
      },
      { timeoutMs: 10_000, what: 'the re-page after the ack timeout' },
    );
    expect(again.map((p) => p.user_id)).toEqual([h.people.bob, h.people.bob]);
    expect(await timeline(id)).toEqual(
      expect.arrayContaining(['escalation.acknowledged', 'escalation.escalated', 'escalation.paged']),
    );
    const [esc] = await queryRows<{ state: string; epoch: number }>(
      h.databaseUrl,
      'SELECT state, epoch FROM escalations WHERE incident_id = $1',
      [id],
    );
    expect(esc).toEqual({ state: 'triggered', epoch: 2 });
  });

  it('does not page for severities outside auto_page', async () => {
    const number = await declare('--severity SEV3 --title "Minor"');
    const id = await incidentId(number);
    await waitFor(
      async () =>
        (
          await queryRows(
            h.databaseUrl,
            'SELECT setup_completed_at FROM incidents LEFT JOIN slack_incident_presence ON incident_id = id WHERE id = $1',
            [id],
          )
        )[0]!.setup_completed_at,
    );
    expect(await queryRows(h.databaseUrl, 'SELECT * FROM escalations WHERE incident_id = $1', [id])).toEqual(
      [],
    );
  });
});

describe('paging commands', () => {
  const channelOf = async (number: number) =>
    (await waitFor(async () => {
      const [r] = await queryRows<{ channel_id: string | null }>(
        h.databaseUrl,
        'SELECT channel_id FROM incidents WHERE number = $1',
        [number],
      );
      return r?.channel_id;
    }))!;
  const say = async (channelId: string, text: string, userId = h.people.alice) => {
    const response = await h.driver.slashCommand({ userId, channelId, text });
    return (response.body as { text: string }).text;
  };

  it('pages a person by hand from the incident channel, with the same ack flow', async () => {
    const number = await declare('--severity SEV3 --title "Hand page"');
    const channel = await channelOf(number);
    expect(await say(channel, `page <@${h.people.carol}|carol>`)).toContain(`Paging <@${h.people.carol}>`);
    const dm = await pageDm(h.people.carol, number);
    expect(dm.text).toContain('You are paged');
    await pressOnPage(h.people.carol, dm, 'escalation-ack');
    const id = await incidentId(number);
    await waitFor(async () => (await timeline(id)).includes('escalation.acknowledged'));
  });

  it('pages whoever is on call in a schedule, for an incident named by reference', async () => {
    const number = await declare('--severity SEV4 --title "Schedule page"');
    await channelOf(number);
    expect(await say(h.generalId, `page primary #${number}`)).toContain(`Paging <@${h.people.bob}>`);
    await pageDm(h.people.bob, number);
    expect(await say(h.generalId, 'page nosuchschedule #1')).toContain(
      'There is no schedule called "nosuchschedule"',
    );
  });

  it('needs an incident: outside one, without a reference, it says what to do', async () => {
    expect(await say(h.generalId, `page <@${h.people.bob}>`)).toContain('This is not an incident channel');
  });

  it('escalates from the channel at once', async () => {
    const number = await declare('--severity SEV1 --title "Escalate by command" --service search');
    const channel = await channelOf(number);
    await pageDm(h.people.bob, number);
    expect(await say(channel, 'escalate')).toContain('Escalating incident');
    await pageDm(h.people.carol, number);
  });

  it('shows who is on call, and an override takes the pager for new pages', async () => {
    expect(await say(h.generalId, 'oncall')).toMatch(
      new RegExp(`\\*primary\\* — now: <@${h.people.bob}> until <!date\\^`),
    );
    expect(
      await say(
        h.generalId,
        `oncall override <@${h.people.carol}|carol> 2h --schedule primary`,
        h.people.carol,
      ),
    ).toContain(`<@${h.people.carol}> is on call for *primary* (override 1) until`);
    expect(await say(h.generalId, 'oncall')).toContain(`*primary* — now: <@${h.people.carol}>`);
    const number = await declare('--severity SEV1 --title "After override" --service search');
    const id = await incidentId(number);
    await pageDm(h.people.carol, number);
    expect((await pages(id)).map((p) => p.user_id)).toEqual([h.people.carol]);
    expect(await say(h.generalId, `oncall override <@${h.people.carol}> 3 weeks`, h.people.carol)).toContain(
      'between 1 minute and 14 days',
    );
  });
});

describe('paging on the headline card', () => {
  it('shows Acknowledge while paging; acknowledging from the card stops paging and the card says who', async () => {
    const number = await declare('--severity SEV1 --title "Card ack" --service search');
    const id = await incidentId(number);
    const incident = await waitFor(async () => {
      const [r] = await queryRows<{ channel_id: string; headline_ts: string | null }>(
        h.databaseUrl,
        'SELECT channel_id, headline_ts FROM incidents LEFT JOIN slack_incident_presence ON incident_id = id WHERE id = $1',
        [id],
      );
      return r?.headline_ts ? (r as { channel_id: string; headline_ts: string }) : null;
    });
    const card = () => h.fake.getMessage(incident!.channel_id, incident!.headline_ts)!;
    // Whoever is on call now (an earlier test took the pager with an override).
    await waitFor(async () => (await pages(id)).some((p) => p.status === 'sent'));
    await waitFor(() => JSON.stringify(card().blocks).includes('escalation-ack'), {
      what: 'the Acknowledge button on the card',
    });
    await h.driver.clickButton({
      userId: h.people.alice,
      channelId: incident!.channel_id,
      messageTs: incident!.headline_ts,
      actionId: 'escalation-ack',
    });
    await waitFor(() => JSON.stringify(card().blocks).includes(`*Acknowledged by*\\n<@${h.people.alice}>`), {
      what: 'the card to show who acknowledged',
    });
    expect(JSON.stringify(card().blocks)).not.toContain('escalation-ack');
    expect(await timeline(id)).toContain('escalation.acknowledged');
  });
});
