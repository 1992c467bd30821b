import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxTool, SlackFake } from '@incident-bot/local-slack';

/** The sandbox's service that takes alerts: the demo oncall.yaml pages Bob for it. */
export const SANDBOX_SERVICE = 'checkout';
const TEST_ALERT_KEY = 'sandbox-test-alert';

/** The service's alert key, generated once and kept with the sandbox's data. */
export function sandboxAlertKey(dataDir: string): string {
  const file = join(dataDir, 'alert-key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('hex'));
  return readFileSync(file, 'utf8').trim();
}

/** #alerts, where the service's alert messages go (made in workspaces saved before it existed too). */
export function alertsChannel(fake: SlackFake, members: string[]): string {
  const found = fake.getChannel('alerts');
  if (found) return found.id;
  return fake.addChannel({ name: 'alerts', members: [...members, fake.config.botUserId] }).id;
}

/** The `services:` part of the demo oncall.yaml. */
export function sandboxServiceLines(alertKey: string, channelId: string): string[] {
  return [
    'services:',
    `  ${SANDBOX_SERVICE}:`,
    '    escalation_policy: default',
    `    alert_key: "${alertKey}"`,
    `    alerts: { channel: ${channelId} }`,
    '    runbook: https://wiki.example/runbooks/checkout',
  ];
}

/**
 * "Send a test alert" (firing, then resolved) in the page's sidebar: each posts to the bot's own
 * `/alerts/webhook/<alert_key>` as a monitoring script would, so a newcomer sees Bob paged by an alert.
 */
export function sandboxAlertTools(botUrl: string, alertKey: string): SandboxTool[] {
  const send = async (status: 'firing' | 'resolved') => {
    const response = await fetch(`${botUrl}/alerts/webhook/${alertKey}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Test alert: checkout error rate above 5%',
        status,
        dedup_key: TEST_ALERT_KEY,
        severity: 'critical',
        details: { error_rate: '7.2%', sent_from: 'the sandbox page' },
        link: 'https://grafana.example/d/checkout',
      }),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // A plain-text answer is shown as it is.
    }
    return { status: response.status, body };
  };
  const hint = `Alerts for ${SANDBOX_SERVICE}, posted to the bot's webhook as monitoring would: Bob is paged.`;
  return [
    { id: 'test-alert-firing', label: 'Send a test alert (firing)', hint, run: () => send('firing') },
    { id: 'test-alert-resolved', label: 'Resolve the test alert', hint, run: () => send('resolved') },
  ];
}
