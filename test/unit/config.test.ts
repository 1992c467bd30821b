import { describe, expect, it } from 'vitest';
import { ENV_VARIABLE_NAMES, loadConfig, loadNotifyProviders } from '../../src/config.js';

const production = {
  SLACK_BOT_TOKEN: 'xoxb-123-456-abc',
  SLACK_SIGNING_SECRET: '0123456789abcdef',
  DATABASE_URL: 'postgres://bot:pw@db:5432/incidents',
  REDIS_URL: 'redis://redis:6379',
};

describe('configuration', () => {
  it('fills the documented defaults', () => {
    const config = loadConfig(production);
    expect(config).toMatchObject({
      sandbox: false,
      port: 3000,
      logLevel: 'info',
      defaultSeverity: 'SEV3',
      slack: { apiUrl: 'https://slack.com/api/', botToken: 'xoxb-123-456-abc' },
    });
  });

  it('takes an app-level token for Socket Mode and refuses a bot token in its place', () => {
    expect(loadConfig({ ...production, SLACK_APP_TOKEN: 'xapp-1-A1-2-abc' }).slack.appToken).toBe(
      'xapp-1-A1-2-abc',
    );
    expect(loadConfig(production).slack.appToken).toBeUndefined();
    expect(() => loadConfig({ ...production, SLACK_APP_TOKEN: 'xoxb-123' })).toThrow(
      /SLACK_APP_TOKEN: must be an app-level token starting with xapp-/,
    );
  });

  it('takes a Redis Cluster as seed nodes instead of REDIS_URL, and says how to write them', () => {
    const { REDIS_URL: _, ...withoutUrl } = production;
    const config = loadConfig({ ...withoutUrl, REDIS_CLUSTER_NODES: 'redis-1:6379, 10.0.0.2:7001' });
    expect(config.redisClusterNodes).toEqual([
      { host: 'redis-1', port: 6379 },
      { host: '10.0.0.2', port: 7001 },
    ]);
    expect(() => loadConfig({ ...withoutUrl, REDIS_CLUSTER_NODES: 'redis-1' })).toThrow(
      /REDIS_CLUSTER_NODES: must list cluster nodes as host:port,host:port/,
    );
    expect(() => loadConfig(withoutUrl)).toThrow(/REDIS_URL: is required/);
  });

  it('lists every bad variable in one error, saying what to fix', () => {
    let message = '';
    try {
      loadConfig({
        SLACK_BOT_TOKEN: 'xoxp-user-token',
        SLACK_SIGNING_SECRET: 'secret-long-enough',
        PORT: 'eighty',
        INCIDENT_ANNOUNCE_CHANNEL: '#incidents',
        LOG_LEVEL: 'loud',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('SLACK_BOT_TOKEN: must be a bot token starting with xoxb-');
    expect(message).toContain('PORT:');
    expect(message).toContain('INCIDENT_ANNOUNCE_CHANNEL: must be a channel id such as C0123ABCD');
    expect(message).toContain('LOG_LEVEL:');
    expect(message).toContain('DATABASE_URL: is required when Slack credentials are set');
    expect(message).toContain('REDIS_URL: is required when Slack credentials are set');
  });

  it('reads update reminder cadences per severity', () => {
    expect(loadConfig(production).updateReminders).toEqual({
      SEV1: 1_800_000,
      SEV2: 3_600_000,
      SEV3: 14_400_000,
      SEV4: null,
    });
    expect(
      loadConfig({ ...production, INCIDENT_UPDATE_REMINDERS: 'SEV1=500ms, sev2=off' }).updateReminders,
    ).toMatchObject({
      SEV1: 500,
      SEV2: null,
    });
    expect(() => loadConfig({ ...production, INCIDENT_UPDATE_REMINDERS: 'SEV1=soon' })).toThrow(
      /SEV1=30m,SEV2=60m/,
    );
  });

  it('treats no Slack credentials as the sandbox and empty variables as unset', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: '', PORT: '' });
    expect(config.sandbox).toBe(true);
    expect(config.port).toBe(3000);
  });

  it('documents exactly the variables the design lists, plus our additions', () => {
    expect([...ENV_VARIABLE_NAMES].sort()).toEqual(
      [
        'DATABASE_URL',
        'INCIDENT_ANNOUNCE_CHANNEL',
        'INCIDENT_DEFAULT_SEVERITY',
        'INCIDENT_UPDATE_REMINDERS',
        'INCIDENT_ARCHIVE_AFTER',
        'LOG_LEVEL',
        'LINK_SIGNING_KEYS',
        'METRICS_PORT',
        'DATABASE_STATEMENT_TIMEOUT_MS',
        'RETENTION_DAYS',
        'SMTP_URL',
        'EMAIL_FROM',
        'TWILIO_ACCOUNT_SID',
        'TWILIO_AUTH_TOKEN',
        'TWILIO_FROM',
        'TWILIO_API_URL',
        'PUSH_URL',
        'ONCALL_CONFIG',
        'PORT',
        'PUBLIC_URL',
        'REDIS_CLUSTER_NODES',
        'REDIS_URL',
        'SLACK_API_URL',
        'SLACK_APP_TOKEN',
        'SLACK_BOT_TOKEN',
        'SLACK_SIGNING_SECRET',
      ].sort(),
    );
  });
});

describe('the delivery providers alone (config:check)', () => {
  it('reads them without the Slack, database and Redis settings the bot needs', () => {
    expect(
      loadNotifyProviders({ SLACK_BOT_TOKEN: 'xoxb-only-the-token', PUSH_URL: 'https://ntfy.example' }),
    ).toEqual({ email: null, twilio: null, push: { url: 'https://ntfy.example' } });
  });

  it('refuses half a provider, naming what is missing', () => {
    expect(() =>
      loadNotifyProviders({ TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_FROM: '+15550001111' }),
    ).toThrow(/TWILIO_AUTH_TOKEN: is required with TWILIO_ACCOUNT_SID, TWILIO_FROM/);
  });
});
