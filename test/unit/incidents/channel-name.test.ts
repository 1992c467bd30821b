import { channelNameError as validateChannelName } from '@incident-bot/local-slack';
import fc from 'fast-check';
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

  it('keep a slug that fills the 80 characters exactly, and cut one character more', () => {
    const fits = `${'a'.repeat(40)} ${'b'.repeat(33)}`; // slug of 74 = 80 - 'inc-1-'.length
    expect(incidentChannelName(1, fits)).toBe(`inc-1-${'a'.repeat(40)}-${'b'.repeat(33)}`);
    expect(incidentChannelName(1, fits)).toHaveLength(80);
    expect(incidentChannelName(1, `${fits}c`)).toBe(`inc-1-${'a'.repeat(40)}`);
  });

  it('cut at the word boundary only when it keeps at least half the room', () => {
    // 74 characters of room: a dash at 37 is kept as the cut, one at 36 is not.
    expect(incidentChannelName(1, `${'a'.repeat(37)} ${'b'.repeat(50)}`)).toBe(`inc-1-${'a'.repeat(37)}`);
    expect(incidentChannelName(1, `${'a'.repeat(36)} ${'b'.repeat(50)}`)).toBe(
      `inc-1-${'a'.repeat(36)}-${'b'.repeat(37)}`,
    );
  });

  it('turn a title of the longest allowed length (150 characters) into a name of at most 80', () => {
    const title =
      'Payments API returning 503 errors for card checkouts in the EU region after the 14:05 deploy of ledger v2.7.1 while retries pile up in the queue now!!';
    expect(title).toHaveLength(150);
    expect(incidentChannelName(123, title)).toBe(
      'inc-123-payments-api-returning-503-errors-for-card-checkouts-in-the-eu-region',
    );
    expect(incidentChannelName(123, title, 12)).toBe(
      'inc-123-payments-api-returning-503-errors-for-card-checkouts-in-the-eu-12',
    );
  });

  it('add no suffix on the first attempt', () => {
    expect(incidentChannelName(5, 'db down', 1)).toBe('inc-5-db-down');
    expect(incidentChannelName(5, 'db down', 0)).toBe('inc-5-db-down');
  });

  it('keep the words of camelCase titles together', () => {
    expect(incidentChannelName(9, 'PaymentsAPI timeouts in checkoutService')).toBe(
      'inc-9-paymentsapi-timeouts-in-checkoutservice',
    );
  });

  it('are valid for any title and attempt: short, lowercase, single dashes, no dash at the end', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.integer({ min: 1, max: 99 }),
        (number, title, attempt) => {
          const name = incidentChannelName(number, title, attempt);
          expect(name.length).toBeLessThanOrEqual(80);
          expect(name).toMatch(/^inc-\d+(-[a-z0-9]+)*$/);
          expect(name.startsWith(`inc-${number}`)).toBe(true);
          expect(name.endsWith(attempt > 1 ? `-${attempt}` : '')).toBe(true);
        },
      ),
    );
  });
});
