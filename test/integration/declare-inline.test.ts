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

const incidentRow = async (number: number) =>
  (
    await queryRows(
      h.databaseUrl,
      'SELECT * FROM incidents LEFT JOIN slack_incident_presence ON incident_id = id WHERE number = $1',
      [number],
    )
  )[0]!;

/** Waits for the background set-up of an incident to finish and returns its row. */
const settled = (number: number) =>
  waitFor(
    async () => {
      const row = await incidentRow(number);
      return row?.setup_completed_at ? row : null;
    },
    { what: `incident ${number} set-up` },
  );

describe('declaring inline with /incident create', () => {
  it('creates the incident, its channel, invites, topic, pinned headline, announcement and a note to the reporter', async () => {
    const { alice } = h.people;
    const response = await h.driver.slashCommand({
      userId: alice,
      channelId: h.generalId,
      text: 'create --severity SEV2 --title "API Latency Spike"',
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ response_type: 'ephemeral' });
    expect((response.body as { text: string }).text).toContain('Declared incident #1');

    const row = await settled(1);
    expect(row).toMatchObject({
      title: 'API Latency Spike',
      severity: 'SEV2',
      status: 'investigating',
      reporter_id: alice,
    });

    const channel = h.fake.getChannel('inc-1-api-latency-spike')!;
    expect(channel).toBeDefined();
    expect(row.channel_id).toBe(channel.id);
    expect(channel.is_private).toBe(false);
    expect(h.fake.members(channel.id)).toContain(alice);
    expect(channel.topic?.value).toBe(`SEV2 · Investigating · Commander: <@${alice}>`);

    const messages = h.fake.messages(channel.id);
    const headline = messages.find((m) => m.ts === row.headline_ts)!;
    expect(headline.text).toBe('Incident #1 (SEV2, investigating): API Latency Spike');
    expect(
      h.fake.pins(channel.id).map((p) => p.ts ?? (p as { message?: { ts: string } }).message?.ts),
    ).toContain(row.headline_ts);

    const announcement = h.fake.messages(h.announceId).find((m) => m.ts === row.announce_ts)!;
    expect(announcement.text).toContain('Incident #1 declared (SEV2): API Latency Spike');
    expect(JSON.stringify(announcement.blocks)).toContain(`<#${channel.id}>`);
    expect(JSON.stringify(announcement.blocks)).toContain('incident-join');

    const note = await waitFor(() =>
      h.fake.ephemerals(h.generalId).find((e) => e.user === alice && e.text.includes(`<#${channel.id}>`)),
    );
    expect(note.text).toContain('Incident #1 is declared');

    const timeline = await queryRows<{ kind: string }>(
      h.databaseUrl,
      'SELECT kind FROM timeline_events WHERE incident_id = $1 ORDER BY id',
      [row.id],
    );
    expect(timeline.map((e) => e.kind)).toEqual(['incident.declared', 'incident.channel_created']);
  });

  it('takes free text as the title with the default severity, and numbers incidents in order', async () => {
    const response = await h.driver.slashCommand({
      userId: h.people.bob,
      channelId: h.generalId,
      text: 'create Checkout is down',
    });
    expect((response.body as { text: string }).text).toContain('Declared incident #2');
    const row = await settled(2);
    expect(row).toMatchObject({ title: 'Checkout is down', severity: 'SEV3', commander_id: h.people.bob });
    expect(row.channel_name).toBe('inc-2-checkout-is-down');
  });

  it('answers a bad flag with what to fix and the usage, and creates nothing', async () => {
    const before = await queryRows(h.databaseUrl, 'SELECT count(*)::int AS n FROM incidents');
    const response = await h.driver.slashCommand({
      userId: h.people.alice,
      channelId: h.generalId,
      text: 'create --severity SEV9 --title "Bad"',
    });
    expect(response.status).toBe(200);
    const text = (response.body as { text: string }).text;
    expect(text).toContain('`--severity` must be SEV1, SEV2, SEV3 or SEV4 (got "SEV9")');
    expect(text).toContain('*Usage:*');
    expect(await queryRows(h.databaseUrl, 'SELECT count(*)::int AS n FROM incidents')).toEqual(before);
  });

  it('names channels from long, emoji, non-Latin and symbol-only titles within Slack’s rules', async () => {
    const titles = [
      'Checkout service returning intermittent 502 errors for customers in the EU region during the evening peak',
      '🔥🔥 Payments DOWN 💥',
      'Сбой оплаты в приложении',
      '数据库故障',
      '!!! ??? ***',
    ];
    const numbers: number[] = [];
    for (const title of titles) {
      const response = await h.driver.slashCommand({
        userId: h.people.alice,
        channelId: h.generalId,
        text: `create --title "${title}"`,
      });
      numbers.push(Number(/#(\d+)/.exec((response.body as { text: string }).text)![1]));
    }
    const names = [];
    for (const n of numbers) names.push((await settled(n)).channel_name as string);
    expect(names).toEqual([
      `inc-${numbers[0]}-checkout-service-returning-intermittent-502-errors-for-customers-in-the`,
      `inc-${numbers[1]}-payments-down`,
      `inc-${numbers[2]}-sboy-oplaty-v-prilozhenii`,
      `inc-${numbers[3]}`,
      `inc-${numbers[4]}`,
    ]);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(80);
      expect(h.fake.getChannel(name)).toBeDefined();
    }
  });

  it('picks a suffixed name when the channel name is taken', async () => {
    const next =
      (await queryRows<{ n: number }>(h.databaseUrl, 'SELECT last_number AS n FROM incident_counter'))[0]!.n +
      1;
    h.fake.addChannel({ name: `inc-${next}-login-errors` });
    await h.driver.slashCommand({
      userId: h.people.alice,
      channelId: h.generalId,
      text: 'create Login errors',
    });
    const row = await settled(next);
    expect(row.channel_name).toBe(`inc-${next}-login-errors-2`);
    expect(h.fake.members(row.channel_id as string)).toContain(h.people.alice);
  });

  it('makes a private incident a private channel that is never announced', async () => {
    const response = await h.driver.slashCommand({
      userId: h.people.carol,
      channelId: h.generalId,
      text: 'create --private --title "Suspected credential leak"',
    });
    const number = Number(/#(\d+)/.exec((response.body as { text: string }).text)![1]);
    const row = await settled(number);
    expect(row.is_private).toBe(true);
    expect(h.fake.getChannel(row.channel_id as string)!.is_private).toBe(true);
    expect(row.announce_ts).toBeNull();
    expect(h.fake.messages(h.announceId).some((m) => m.text.includes('Suspected credential leak'))).toBe(
      false,
    );
    // …nor listed to people outside it.
    const list = await h.driver.slashCommand({ userId: h.people.bob, channelId: h.generalId, text: 'list' });
    expect((list.body as { text: string }).text).not.toContain('credential leak');
    const own = await h.driver.slashCommand({ userId: h.people.carol, channelId: h.generalId, text: 'list' });
    expect((own.body as { text: string }).text).toContain('Suspected credential leak');
  });

  it('lists open incidents with severity, age and channel link', async () => {
    const response = await h.driver.slashCommand({
      userId: h.people.alice,
      channelId: h.generalId,
      text: 'list',
    });
    const text = (response.body as { text: string }).text;
    const first = await incidentRow(1);
    expect(text).toMatch(/^Open incidents \(\d+\):/);
    expect(text).toContain(`*#1* API Latency Spike — SEV2 · Investigating · `);
    expect(text).toContain(`<#${first.channel_id}>`);
  });

  it('answers help with the usage', async () => {
    const response = await h.driver.slashCommand({
      userId: h.people.alice,
      channelId: h.generalId,
      text: 'help',
    });
    expect((response.body as { text: string }).text).toContain(
      '/incident create --severity SEV2 --title "API Latency Spike"',
    );
  });

  it('lets people join from the announcement, once', async () => {
    const row = await incidentRow(1);
    const first = await h.driver.clickButton({
      userId: h.people.carol,
      channelId: h.announceId,
      messageTs: row.announce_ts as string,
      actionId: 'incident-join',
    });
    expect(first.status).toBe(200);
    await waitFor(() => h.fake.members(row.channel_id as string).includes(h.people.carol));
    const joined = await waitFor(() => h.fake.responses(first.responseUrl).at(-1));
    expect(JSON.stringify(joined)).toContain('You joined');
    const again = await h.driver.clickButton({
      userId: h.people.carol,
      channelId: h.announceId,
      messageTs: row.announce_ts as string,
      actionId: 'incident-join',
    });
    const answer = await waitFor(() => h.fake.responses(again.responseUrl).at(-1));
    expect(JSON.stringify(answer)).toContain('already in');
  });
});
