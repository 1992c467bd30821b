import { describe, expect, it } from 'vitest';
import { formatOnCallReport } from '../../../src/escalation/config-check.js';
import { OncallConfigError, parseOncallConfig } from '../../../src/escalation/oncall-config.js';

const KEY_A = `${'a'.repeat(24)}-checkout-key`;
const KEY_B = `${'b'.repeat(24)}-payments-key`;

/** A valid file whose services (and paging lines) the test writes. */
function file(services: string, paging = ''): string {
  return `
timezone: UTC
schedules:
  primary:
    rotation: { length: weekly, handoff: "09:00", start: 2026-11-02 }
    participants: [U012ABCDEF]
escalation_policies:
  default:
    levels:
      - { notify: [schedule:primary], escalate_after: 5m }
services:
${services}
paging:
  default_policy: default
${paging}`;
}

function problemsOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseOncallConfig(text, 'oncall.yaml', env);
  } catch (error) {
    if (error instanceof OncallConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('alert settings in oncall.yaml', () => {
  it(`reads alert_key (from \${VAR}), alerts, heartbeats and paging.group_window`, () => {
    const config = parseOncallConfig(
      file(
        `  checkout:
    escalation_policy: default
    alert_key: \${CHECKOUT_ALERT_KEY}
    alerts: { declare: SEV2, channel: C0123ABCD }
    heartbeats:
      nightly-backup: { interval: 24h, grace: 30m }`,
        '  group_window: 5m',
      ),
      'oncall.yaml',
      { CHECKOUT_ALERT_KEY: KEY_A },
    );
    expect(config.services.checkout).toMatchObject({
      alertKey: KEY_A,
      alerts: { declare: 'SEV2', channel: 'C0123ABCD' },
      heartbeats: {
        'nightly-backup': { name: 'nightly-backup', intervalMs: 86_400_000, graceMs: 1_800_000 },
      },
    });
    expect(config.paging.groupWindowMs).toBe(300_000);
  });

  it('defaults: no key, no alert settings, no heartbeats, a two-minute group window', () => {
    const config = parseOncallConfig(file('  checkout: { escalation_policy: default }'));
    expect(config.services.checkout).toMatchObject({
      alertKey: undefined,
      alerts: { declare: undefined, channel: undefined },
      heartbeats: {},
    });
    expect(config.paging.groupWindowMs).toBe(120_000);
  });

  it('refuses a short alert key by its path without ever repeating the key', () => {
    const problems = problemsOf(
      file('  checkout: { escalation_policy: default, alert_key: short-secret-123 }'),
    );
    expect(problems).toEqual([
      `services.checkout.alert_key: expected at least 32 characters (a random secret, e.g. from openssl rand -hex 24), usually \${VAR}`,
    ]);
    expect(problems.join('\n')).not.toContain('short-secret-123');
  });

  it('refuses the same key on two services, naming both paths but not the key', () => {
    const problems = problemsOf(
      file(`  checkout: { escalation_policy: default, alert_key: "\${KEY}" }
  payments: { escalation_policy: default, alert_key: "\${KEY}" }`),
      { KEY: KEY_A },
    );
    expect(problems).toEqual([
      'services.payments.alert_key: is the same key as services.checkout.alert_key; each service needs its own',
    ]);
    expect(problems.join('\n')).not.toContain(KEY_A);
  });

  it('checks alerts.declare, alerts.channel and heartbeat durations by path', () => {
    const problems = problemsOf(
      file(`  checkout:
    escalation_policy: default
    alert_key: ${KEY_A}
    alerts: { declare: SEV9, channel: general, page: true }
    heartbeats:
      backup: { interval: daily, grace: 30m }
      sync: { interval: 10m }`),
    );
    expect(problems).toEqual([
      'services.checkout.alerts.declare: expected one of SEV1, SEV2, SEV3, SEV4 (got "SEV9")',
      'services.checkout.alerts.channel: expected a Slack channel id such as C0123ABCD (got "general")',
      'services.checkout.alerts.page: unknown field (expected one of: declare, channel)',
      'services.checkout.heartbeats.backup.interval: expected a duration such as 90s, 5m, 2h, 1 day or 1 week (got "daily")',
      'services.checkout.heartbeats.sync.grace: is required',
    ]);
  });

  it('allows heartbeat intervals under a minute only with paging.allow_fast_escalation', () => {
    const services = `  checkout:
    escalation_policy: default
    alert_key: ${KEY_A}
    heartbeats:
      ping: { interval: 20s, grace: 5s }`;
    expect(problemsOf(file(services))).toEqual([
      'services.checkout.heartbeats.ping.interval: 20s is under one minute; set paging.allow_fast_escalation: true to allow it (tests and the sandbox)',
    ]);
    const fast = parseOncallConfig(file(services, '  allow_fast_escalation: true'));
    expect(fast.services.checkout?.heartbeats.ping?.intervalMs).toBe(20_000);
  });

  it('needs an alert key for heartbeats, which check in with it', () => {
    expect(
      problemsOf(
        file(`  checkout:
    escalation_policy: default
    heartbeats:
      backup: { interval: 24h, grace: 30m }`),
      ),
    ).toEqual([
      'services.checkout.heartbeats: needs an alert_key on the service: heartbeats check in at /alerts/heartbeat/<alert_key>/<name>',
    ]);
  });

  it('config:check lists the services that take alerts and their heartbeats, never a key', () => {
    const config = parseOncallConfig(
      file(`  checkout:
    escalation_policy: default
    alert_key: ${KEY_A}
    heartbeats:
      nightly-backup: { interval: 24h, grace: 30m }
  payments: { escalation_policy: default, alert_key: ${KEY_B} }
  search: { escalation_policy: default }`),
    );
    const report = formatOnCallReport(config, new Date('2026-12-02T12:00:00Z'));
    expect(report).toContain(
      'Alert intake (alert_key set): checkout (heartbeats: nightly-backup), payments.',
    );
    expect(report).not.toContain(KEY_A);
    expect(report).not.toContain(KEY_B);
  });
});
