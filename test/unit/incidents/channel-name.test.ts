import { channelNameError as validateChannelName } from '@incident-bot/local-slack';
import { describe, expect, it } from 'vitest';
import { incidentChannelName } from '../../../src/incidents/channel-name.js';

const SLACK_RULE = /^[a-z0-9_-]{1,80}$/;

describe('incident channel names', () => {
  it('are inc-<number>-<slug> in lowercase', () => {
    expect(incidentChannelName(12, 'API Latency Spike')).toBe('inc-12-api-latency-spike');
  });

  it('stay within 80 characters, cut at a word boundary', () => {
    const name = incidentChannelName(
      12345,
      'Checkout service returning intermittent 502 errors for customers in the EU region during peak',
    );
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(SLACK_RULE);
    expect(name.endsWith('-')).toBe(false);
    expect(name).toBe('inc-12345-checkout-service-returning-intermittent-502-errors-for-customers-in');
  });

  it('cut a single enormous word rather than exceed the limit', () => {
    const name = incidentChannelName(7, 'a'.repeat(200));
    expect(name.length).toBe(80);
    expect(name).toMatch(SLACK_RULE);
  });

  it('drop emoji and symbols, transliterate accents and Cyrillic', () => {
    expect(incidentChannelName(3, '🔥 Payments DOWN!!! 💥')).toBe('inc-3-payments-down');
    expect(incidentChannelName(4, 'Café déjà vu — Straße')).toBe('inc-4-cafe-deja-vu-strasse');
    expect(incidentChannelName(5, 'Сбой оплаты')).toBe('inc-5-sboy-oplaty');
  });

  it('fall back to the number for titles with nothing to slug', () => {
    expect(incidentChannelName(6, '数据库故障')).toBe('inc-6');
    expect(incidentChannelName(8, '!!! ??? ***')).toBe('inc-8');
  });

  it('add a suffix for name_taken retries without passing the limit', () => {
    expect(incidentChannelName(12, 'API Latency Spike', 2)).toBe('inc-12-api-latency-spike-2');
    expect(incidentChannelName(6, '数据库故障', 3)).toBe('inc-6-3');
    const long = incidentChannelName(99, 'word '.repeat(40), 11);
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long.endsWith('-11')).toBe(true);
  });

  it('are always accepted by the local Slack channel-name rules', () => {
    const titles = [
      'API Latency Spike',
      '🔥',
      'Сбой',
      'x'.repeat(300),
      '---',
      'Ünïcödé ÄÖÜ',
      'a_b c-d',
      '数据库 down',
    ];
    for (const [i, title] of titles.entries()) {
      for (const attempt of [1, 2, 15]) {
        expect(validateChannelName(incidentChannelName(i + 1, title, attempt))).toBeNull();
      }
    }
  });
});
