import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { oncallFixture } from '../helpers/oncall-fixture.js';
import { waitFor } from '../helpers/wait-for.js';

const CHECKOUT_KEY = 'checkout-0123456789abcdef0123456789abcdef';
const PAYMENTS_KEY = 'payments-0123456789abcdef0123456789abcdef';
const SEARCH_KEY = 'search-0123456789abcdef0123456789abcdef';
const WRONG_KEY = 'wrong-0123456789abcdef0123456789abcdef';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    oncallYaml: oncallFixture({
      levels: [['schedule:primary', '20s']],
      services: {
        checkout: { policy: 'default', alertKey: CHECKOUT_KEY },
        payments: { policy: 'default', alertKey: PAYMENTS_KEY },
        search: {
          policy: 'default',
          alertKey: SEARCH_KEY,
          heartbeats: { 'nightly-backup': { interval: '24h', grace: '30m' } },
        },
      },
      fastEscalation: true,
    }),
  });
});
afterAll(async () => {
  await h?.stop();
});

interface Reply {
  status: number;
  body: unknown;
  headers: Headers;
}

async function send(
  path: string,
  body: unknown,
  init: { method?: string; contentType?: string | null; raw?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (init.contentType !== null) headers['content-type'] = init.contentType ?? 'application/json';
  const response = await fetch(`${h.bot.url}${path}`, {
    method: init.method ?? 'POST',
    headers,
    ...(init.method === 'GET' ? {} : { body: init.raw ?? JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: response.status, body: parsed, headers: response.headers };
}

const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
  queryRows<T>(h.databaseUrl, sql, params);
const alertsOf = (service: string) =>
  rows<{ dedup_key: string; status: string; count: number; alert_group_id: number; title: string }>(
    'SELECT dedup_key, status, count, alert_group_id, title FROM alerts WHERE service = $1 ORDER BY id',
    [service],
  );
const groupsOf = (service: string) =>
  rows<{ id: number; state: string; group_key: string | null; resolved_by: string | null }>(
    'SELECT id, state, group_key, resolved_by FROM alert_groups WHERE service = $1 ORDER BY id',
    [service],
  );
/** The pages sent for an alert group, once at least one was. */
const pagesOf = (groupId: number) =>
  waitFor(
    async () => {
      const pages = await rows<{ user_id: string; status: string }>(
        `SELECT user_id, status FROM pages WHERE alert_group_id = $1 AND status = 'sent' ORDER BY id`,
        [groupId],
      );
      return pages.length > 0 ? pages : null;
    },
    { timeoutMs: 20_000, what: `a page for alert group ${groupId}` },
  );
const escalationState = async (groupId: number) =>
  (await rows<{ state: string }>('SELECT state FROM escalations WHERE alert_group_id = $1', [groupId]))[0]
    ?.state;

const eventCount = async () =>
  Number((await rows<{ n: string }>('SELECT count(*) AS n FROM alert_events'))[0]!.n);

/** Runs `act` and checks it stored no alert event, alert or group. */
async function storesNothing(act: () => Promise<void>): Promise<void> {
  const count = async () =>
    (
      await rows<{ n: string }>(
        'SELECT (SELECT count(*) FROM alert_events) + (SELECT count(*) FROM alerts) + (SELECT count(*) FROM alert_groups) AS n',
      )
    )[0]!.n;
  const before = await count();
  await act();
  expect(await count()).toBe(before);
}

const pd = (fields: Record<string, unknown> = {}) => ({
  routing_key: PAYMENTS_KEY,
  event_action: 'trigger',
  payload: { summary: 'Card processor timeouts', source: 'pay-1', severity: 'critical' },
  ...fields,
});

const amAlert = (fingerprint: string, status = 'firing') => ({
  status,
  labels: {
    alertname: 'ErrorBudgetBurn1h',
    service: 'checkout',
    severity: 'critical',
    instance: fingerprint,
  },
  annotations: { summary: `Burn on ${fingerprint}`, runbook_url: 'https://wiki.example/runbooks/checkout' },
  startsAt: '2026-12-02T14:00:00Z',
  endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-12-02T14:05:00Z',
  generatorURL: 'http://prometheus:9090/graph',
  fingerprint,
});
const amBody = (alerts: unknown[], status = 'firing') => ({
  version: '4',
  groupKey: '{}/{service="checkout"}:{alertname="ErrorBudgetBurn1h"}',
  truncatedAlerts: 0,
  status,
  receiver: 'incident-bot-checkout',
  groupLabels: {},
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://alertmanager:9093',
  alerts,
});

describe('POST /alerts/alertmanager/<alert_key>', () => {
  const path = `/alerts/alertmanager/${CHECKOUT_KEY}`;

  it('stores a group of alerts as one group, repeats as counts, and resolves the group when all are resolved', async () => {
    const first = await send(path, amBody([amAlert('aaa1'), amAlert('aaa2')]));
    expect(first).toMatchObject({ status: 200, body: { status: 'success', alerts: 2 } });
    await send(path, amBody([amAlert('aaa1'), amAlert('aaa2')]));
    const alerts = await alertsOf('checkout');
    expect(alerts.map((a) => [a.dedup_key, a.count, a.status, a.title])).toEqual([
      ['aaa1', 2, 'firing', 'Burn on aaa1'],
      ['aaa2', 2, 'firing', 'Burn on aaa2'],
    ]);
    const [group] = await groupsOf('checkout');
    expect(group).toMatchObject({ state: 'firing', group_key: amBody([]).groupKey });
    expect(new Set(alerts.map((a) => a.alert_group_id))).toEqual(new Set([group!.id]));

    await send(path, amBody([amAlert('aaa1', 'resolved'), amAlert('aaa2')]));
    expect((await groupsOf('checkout'))[0]?.state).toBe('firing');
    await send(path, amBody([amAlert('aaa1', 'resolved'), amAlert('aaa2', 'resolved')], 'resolved'));
    expect((await groupsOf('checkout'))[0]).toMatchObject({ state: 'resolved', resolved_by: 'Alertmanager' });

    // Firing again after the resolve: a new alert in a new group.
    await send(path, amBody([amAlert('aaa1')]));
    expect((await alertsOf('checkout')).filter((a) => a.dedup_key === 'aaa1').map((a) => a.status)).toEqual([
      'resolved',
      'firing',
    ]);
    expect((await groupsOf('checkout')).map((g) => g.state)).toEqual(['resolved', 'firing']);
  });

  it('refuses a malformed payload with 400 naming each problem, storing nothing', async () => {
    await storesNothing(async () => {
      const reply = await send(path, { ...amBody([{ ...amAlert('bad'), status: 'pending' }]), version: '3' });
      expect(reply).toEqual({
        status: 400,
        headers: expect.anything(),
        body: {
          status: 'error',
          message: 'the alert is not valid',
          errors: [
            'version: expected "4" (the Alertmanager webhook payload version this bot reads)',
            'alerts[0].status: expected "firing" or "resolved"',
          ],
        },
      });
    });
  });
});

describe('POST /v2/enqueue (PagerDuty Events API v2)', () => {
  it('answers 202 with a generated dedup key; a repeat counts; acknowledge and resolve sync the alert', async () => {
    const triggered = await send('/v2/enqueue', pd());
    expect(triggered.status).toBe(202);
    const { dedup_key: key } = triggered.body as { dedup_key: string };
    expect(triggered.body).toEqual({ status: 'success', message: 'Event processed', dedup_key: key });
    expect(key).toMatch(/^[0-9a-f]{32}$/);

    expect((await send('/v2/enqueue', pd({ dedup_key: key }))).status).toBe(202);
    expect(await alertsOf('payments')).toMatchObject([{ dedup_key: key, count: 2, status: 'firing' }]);
    const [group] = await groupsOf('payments');
    // Bob is paged once: the repeat paged nobody again.
    expect(await pagesOf(group!.id)).toEqual([{ user_id: h.people.bob, status: 'sent' }]);

    const acked = await send('/v2/enqueue', {
      routing_key: PAYMENTS_KEY,
      event_action: 'acknowledge',
      dedup_key: key,
    });
    expect(acked.body).toEqual({ status: 'success', message: 'Event processed', dedup_key: key });
    expect((await groupsOf('payments'))[0]?.state).toBe('acknowledged');
    expect(await escalationState(group!.id)).toBe('acknowledged');

    await send('/v2/enqueue', { routing_key: PAYMENTS_KEY, event_action: 'resolve', dedup_key: key });
    expect(await alertsOf('payments')).toMatchObject([{ status: 'resolved' }]);
    expect((await groupsOf('payments'))[0]).toMatchObject({
      state: 'resolved',
      resolved_by: 'PagerDuty Events API',
    });
    expect(await escalationState(group!.id)).toBe('resolved');
    expect(await pagesOf(group!.id)).toHaveLength(1);

    const again = await send('/v2/enqueue', pd({ dedup_key: key }));
    expect(again.status).toBe(202);
    expect((await alertsOf('payments')).map((a) => a.status)).toEqual(['resolved', 'firing']);
  });

  it('accepts acknowledge and resolve of an unknown dedup key and does nothing else', async () => {
    const before = await alertsOf('payments');
    const reply = await send('/v2/enqueue', {
      routing_key: PAYMENTS_KEY,
      event_action: 'resolve',
      dedup_key: 'never-seen',
    });
    expect(reply).toMatchObject({
      status: 202,
      body: { status: 'success', message: 'Event processed', dedup_key: 'never-seen' },
    });
    expect(await alertsOf('payments')).toEqual(before);
  });

  it('answers an unknown routing key 400 as PagerDuty does, storing nothing', async () => {
    await storesNothing(async () => {
      const reply = await send('/v2/enqueue', pd({ routing_key: WRONG_KEY }));
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: ['Invalid routing key'],
      });
    });
  });

  it('refuses an invalid event with PagerDuty’s 400 and every problem in errors[], storing nothing', async () => {
    await storesNothing(async () => {
      const reply = await send('/v2/enqueue', pd({ payload: { summary: 'x', severity: 'urgent' } }));
      expect(reply).toMatchObject({
        status: 400,
        body: {
          status: 'invalid event',
          message: 'Event object is invalid',
          errors: [
            'payload.source: is required',
            'payload.severity: expected "critical", "error", "warning" or "info"',
          ],
        },
      });
      const notJson = await send('/v2/enqueue', null, { raw: '{"routing_key": ' });
      expect(notJson.status).toBe(400);
      expect((notJson.body as { errors: string[] }).errors[0]).toMatch(/^body: not valid JSON/);
    });
  });

  it('makes one alert of identical triggers sent at the same moment', async () => {
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => send('/v2/enqueue', pd({ dedup_key: 'same-moment' }))),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(202));
    const same = (await alertsOf('payments')).filter((a) => a.dedup_key === 'same-moment');
    expect(same).toMatchObject([{ count: 10, status: 'firing' }]);
    expect(await pagesOf(same[0]!.alert_group_id)).toEqual([{ user_id: h.people.bob, status: 'sent' }]);
  });
});

describe('POST /alerts/webhook/<alert_key>', () => {
  const path = `/alerts/webhook/${SEARCH_KEY}`;

  it('dedups by dedup key, resolves, and opens a new alert on a trigger after the resolve', async () => {
    const first = await send(path, { title: 'Index lagging', dedup_key: 'lag', severity: 'warning' });
    expect(first).toMatchObject({
      status: 202,
      body: { status: 'success', dedup_key: 'lag', outcome: 'opened' },
    });
    const repeat = await send(path, { title: 'Index lagging', dedup_key: 'lag' });
    expect(repeat.body).toMatchObject({ outcome: 'repeated' });
    const resolved = await send(path, { status: 'resolved', dedup_key: 'lag' });
    expect(resolved.body).toMatchObject({ outcome: 'resolved' });
    const again = await send(path, { title: 'Index lagging', dedup_key: 'lag' });
    expect(again.body).toMatchObject({ outcome: 'opened' });
    const lag = (await alertsOf('search')).filter((a) => a.dedup_key === 'lag');
    expect(lag.map((a) => [a.status, a.count])).toEqual([
      ['resolved', 2],
      ['firing', 1],
    ]);
    const events = await rows('SELECT action FROM alert_events WHERE service = $1 ORDER BY id', ['search']);
    expect(events.map((e) => e.action)).toEqual(['trigger', 'trigger', 'resolve', 'trigger']);
  });

  it('takes a storm of 30 distinct alerts as one group', async () => {
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => send(path, { title: `Shard ${i} down`, dedup_key: `storm-${i}` })),
    );
    expect(replies.every((r) => r.status === 202)).toBe(true);
    const storm = (await alertsOf('search')).filter((a) => a.dedup_key.startsWith('storm-'));
    expect(storm).toHaveLength(30);
    const groupIds = new Set(storm.map((a) => a.alert_group_id));
    expect(groupIds.size).toBe(1);
    // One page, to Bob, for the whole storm.
    expect(await pagesOf([...groupIds][0]!)).toEqual([{ user_id: h.people.bob, status: 'sent' }]);
  });

  it('answers a wrong method 405 and a non-JSON content type 415, storing nothing', async () => {
    await storesNothing(async () => {
      const get = await send(path, null, { method: 'GET' });
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
      expect(get.body).toEqual({ status: 'error', message: 'use POST to send alerts here (got GET)' });
      const form = await send(path, null, {
        contentType: 'application/x-www-form-urlencoded',
        raw: 'title=x',
      });
      expect(form).toMatchObject({
        status: 415,
        body: { message: 'send the body as JSON (Content-Type: application/json)' },
      });
    });
  });

  it('refuses a malformed alert with 400 naming what is wrong, storing nothing', async () => {
    await storesNothing(async () => {
      const reply = await send(path, { title: 'x', status: 'down', link: 'javascript:alert(1)' });
      expect(reply).toMatchObject({
        status: 400,
        body: { errors: ['status: expected "firing" or "resolved"', 'link: expected an http(s) URL'] },
      });
      const nul = await send(path, { title: 'bad\u0000title' });
      expect(nul).toMatchObject({
        status: 400,
        body: { errors: ['title: must not contain the NUL character (\\u0000)'] },
      });
    });
  });
});

describe('every route with a key', () => {
  it('answers an unknown key 404, as a path that does not exist, storing nothing', async () => {
    await storesNothing(async () => {
      for (const path of [
        `/alerts/alertmanager/${WRONG_KEY}`,
        `/alerts/webhook/${WRONG_KEY}`,
        `/alerts/heartbeat/${WRONG_KEY}/nightly-backup`,
        `/alerts/webhook/${SEARCH_KEY}/extra`,
        '/alerts/webhook/',
      ]) {
        const reply = await send(path, { title: 'x' });
        expect([path, reply.status, reply.body]).toEqual([path, 404, 'not found\n']);
      }
    });
  });

  it('answers a body over 512 KB with 413 without storing it, declared or streamed', async () => {
    const big = JSON.stringify({ title: 'big', details: { blob: 'x'.repeat(600 * 1024) } });
    await storesNothing(async () => {
      const declared = await send(`/alerts/webhook/${SEARCH_KEY}`, null, { raw: big });
      expect(declared.status).toBe(413);
      const streamed = await fetch(`${h.bot.url}/alerts/webhook/${SEARCH_KEY}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(big));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit).catch((error: unknown) => error);
      // Either the 413 arrives, or the connection closes while the rest of the body is still on its way.
      if (streamed instanceof Response) expect(streamed.status).toBe(413);
      const pdBig = await send('/v2/enqueue', null, { raw: big });
      expect(pdBig.status).toBe(413);
    });
    // The bot still serves the next request.
    expect(
      (await send(`/alerts/webhook/${SEARCH_KEY}`, { title: 'after big', dedup_key: 'after-big' })).status,
    ).toBe(202);
  });

  it('labels the routes in metrics by their prefix, never with a key', async () => {
    const text = await h.bot.metrics.registry.metrics();
    expect(text).toContain('route="/alerts/webhook/"');
    expect(text).toContain('route="/v2/enqueue"');
    for (const key of [CHECKOUT_KEY, PAYMENTS_KEY, SEARCH_KEY, WRONG_KEY]) expect(text).not.toContain(key);
  });

  it('a heartbeat name the service does not declare is 404', async () => {
    await storesNothing(async () => {
      const reply = await send(`/alerts/heartbeat/${SEARCH_KEY}/unknown-job`, null, { method: 'GET' });
      expect(reply.status).toBe(404);
    });
  });

  it('commits every accepted event before answering: the count of events equals what was accepted', async () => {
    const before = await eventCount();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => send('/v2/enqueue', pd({ dedup_key: `commit-${i % 5}` }))),
    );
    expect(replies.every((r) => r.status === 202)).toBe(true);
    expect(await eventCount()).toBe(before + 20);
  });
});
