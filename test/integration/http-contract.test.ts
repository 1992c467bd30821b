import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, SIGNING_SECRET, startHarness } from '../helpers/bot-harness.js';
import { queryRows } from '../helpers/incidents-db.js';
import { waitFor } from '../helpers/wait-for.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { METRICS_PORT: '0' } });
});
afterAll(async () => {
  await h?.stop();
});

const commandBody = (text: string) =>
  new URLSearchParams({
    team_id: h.fake.config.teamId,
    channel_id: h.generalId,
    user_id: h.people.alice,
    command: '/incident',
    text,
    trigger_id: h.fake.issueTriggerId(h.people.alice),
    response_url: h.fake.createResponseUrl({ channelId: h.generalId, userId: h.people.alice }),
  }).toString();

const incidentCount = async () =>
  (await queryRows<{ n: number }>(h.databaseUrl, 'SELECT count(*)::int AS n FROM incidents'))[0]!.n;

describe('POST /slack/events security', () => {
  it('rejects a forged signature with 401 and creates nothing', async () => {
    const before = await incidentCount();
    const body = commandBody('create Forged incident');
    const forged = `v0=${createHmac('sha256', 'not-the-secret')
      .update(`v0:${Math.floor(Date.now() / 1000)}:${body}`)
      .digest('hex')}`;
    const response = await h.driver.post(body, { signature: forged });
    expect(response.status).toBe(401);
    expect(await incidentCount()).toBe(before);
  });

  it('rejects a correctly signed but stale request (replay) with 401', async () => {
    const before = await incidentCount();
    const response = await h.driver.post(commandBody('create Replayed incident'), {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(response.status).toBe(401);
    expect(await incidentCount()).toBe(before);
  });

  it('rejects a correctly signed request dated more than five minutes in the future with 401', async () => {
    const before = await incidentCount();
    const response = await h.driver.post(commandBody('create From the future'), {
      timestamp: Math.floor(Date.now() / 1000) + 6 * 60,
    });
    expect(response.status).toBe(401);
    expect(await incidentCount()).toBe(before);
    // A clock a little ahead of Slack's is fine.
    const skewed = await h.driver.post(commandBody('help'), {
      timestamp: Math.floor(Date.now() / 1000) + 60,
    });
    expect(skewed.status).toBe(200);
  });

  it('rejects a body signed over different bytes', async () => {
    const body = commandBody('create Tampered');
    const ts = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    const response = await h.driver.post(body.replace('Tampered', 'Tampered+later'), {
      signature,
      timestamp: ts,
    });
    expect(response.status).toBe(401);
  });

  it('answers 413 to a body over the limit', async () => {
    // Plain node:http on its own socket: the server stops reading an oversized body, so this
    // connection must not be reused by the fetch pool the other tests share.
    const body = `text=${'x'.repeat(5 * 1024 * 1024)}`;
    const ts = Math.floor(Date.now() / 1000);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${h.bot.url}/slack/events`, {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`,
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(413);
  });

  it('answers a signed unknown command with usage, never a trace', async () => {
    const response = await h.driver.post(commandBody('frobnicate the database'));
    expect(response.status).toBe(200);
    const text = (response.body as { text: string }).text;
    expect(text).toContain('Unknown command `frobnicate`');
    expect(text).toContain('*Usage:*');
    expect(text).not.toMatch(/Error|at .*\.ts/);
  });
});

describe('operational routes', () => {
  it('serves /healthz and /readyz with both stores reachable', async () => {
    const health = await fetch(`${h.bot.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', role: 'all' });
    const ready = await fetch(`${h.bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', postgres: 'ok', redis: 'ok' });
  });

  it('exports Prometheus metrics for HTTP requests and Slack calls by method and outcome', async () => {
    await h.driver.slashCommand({ userId: h.people.alice, channelId: h.generalId, text: 'help' });
    await h.driver.slashCommand({
      userId: h.people.alice,
      channelId: h.generalId,
      text: 'create Metrics check',
    });
    const deadline = Date.now() + 10_000;
    let text = '';
    while (Date.now() < deadline) {
      text = await (await fetch(`${h.bot.metricsUrl}/metrics`)).text();
      if (text.includes('method="pins.add",outcome="ok"')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(text).toMatch(
      /incident_bot_http_requests_total\{method="POST",route="\/slack\/events",status="200"\} \d+/,
    );
    expect(text).toMatch(
      /incident_bot_http_request_duration_seconds_bucket\{le="0.1",method="POST",route="\/slack\/events"\} \d+/,
    );
    expect(text).toMatch(
      /incident_bot_slack_api_calls_total\{method="conversations.create",outcome="ok"\} 1/,
    );
    expect(text).toContain('method="pins.add",outcome="ok"');
  });

  it('serves /metrics only on the METRICS_PORT listener, never on the Slack-facing one', async () => {
    expect(h.bot.metricsUrl).not.toBeNull();
    expect(new URL(h.bot.metricsUrl!).port).not.toBe(new URL(h.bot.url).port);
    expect((await fetch(`${h.bot.url}/metrics`)).status).toBe(404);
    const metrics = await fetch(`${h.bot.metricsUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('incident_bot_http_requests_total');
    // …and the metrics listener serves nothing else: no Slack URL, no postmortem links.
    expect((await fetch(`${h.bot.metricsUrl}/slack/events`, { method: 'POST' })).status).toBe(404);
  });

  it('answers 404 for unknown paths and 405 for GET on the Slack URL', async () => {
    expect((await fetch(`${h.bot.url}/nope`)).status).toBe(404);
    expect((await fetch(`${h.bot.url}/slack/events`)).status).toBe(405);
  });
});

describe('the 3-second ack', () => {
  it('is kept when the database is slow: the answer follows on response_url', async () => {
    // Another transaction holds the incident counter, so a declare waits on its row lock.
    const blocker = new pg.Client({ connectionString: h.databaseUrl });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('UPDATE incident_counter SET last_number = last_number');
    try {
      const started = Date.now();
      const response = await h.driver.slashCommand({
        userId: h.people.alice,
        channelId: h.generalId,
        text: 'create Slow database',
      });
      const ackMs = Date.now() - started;
      expect(ackMs).toBeLessThan(3000);
      expect((response.body as { text: string }).text).toContain('taking longer than usual');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await blocker.query('COMMIT');
      const late = await waitFor(() => h.fake.responses(response.responseUrl).at(-1));
      expect(JSON.stringify(late)).toContain('Declared incident #');
      expect(JSON.stringify(late)).toContain('Slow database');
    } finally {
      await blocker.end();
    }
  });
});
