import { parse, stringify } from 'yaml';
import type { Harness } from './bot-harness.js';
import { type OncallFixture, oncallFixture } from './oncall-fixture.js';

/** A service's alert settings, as oncall.yaml writes them (see README, "Maintenance windows and heartbeats"). */
export interface AlertServiceFixture {
  alertKey: string;
  /** `alerts.channel` */
  channel?: string;
  /** `heartbeats`, e.g. `{ 'nightly-backup': { interval: '2s', grace: '1s' } }`. */
  heartbeats?: Record<string, { interval: string; grace: string }>;
}

/** The shared on-call fixture, with alert keys, channels and heartbeats added to its services. */
export function alertOncallFixture(
  fixture: OncallFixture,
  services: Record<string, AlertServiceFixture>,
): string {
  const file = parse(oncallFixture(fixture)) as { services?: Record<string, Record<string, unknown>> };
  for (const [name, s] of Object.entries(services)) {
    const service = file.services?.[name];
    if (!service) throw new Error(`the fixture declares no service ${name}`);
    service.alert_key = s.alertKey;
    if (s.channel) service.alerts = { channel: s.channel };
    if (s.heartbeats) service.heartbeats = s.heartbeats;
  }
  return stringify(file);
}

/** Posts a plain-webhook alert (`/alerts/webhook/<key>`) to the bot; the status and body it answered. */
export async function postWebhookAlert(
  h: Pick<Harness, 'bot'>,
  alertKey: string,
  body: Record<string, unknown>,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${h.bot.url}/alerts/webhook/${alertKey}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

/** A heartbeat check-in, as a cron job's `curl` sends it. */
export async function checkIn(h: Pick<Harness, 'bot'>, alertKey: string, name: string): Promise<number> {
  return (await fetch(`${h.bot.url}/alerts/heartbeat/${alertKey}/${name}`, { method: 'POST' })).status;
}
