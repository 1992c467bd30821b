import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DURATION_PATTERN,
  formatDuration,
  formatLocalTime,
  formatRotationLength,
  LOCAL_DATE_PATTERN,
  parseDuration,
  parseLocalTime,
  parseRotationLength,
} from '../../../src/escalation/duration.js';

const S = 1_000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const W = 7 * D;

describe('durations in oncall.yaml', () => {
  it.each([
    ['250ms', 250],
    ['90s', 90 * S],
    ['1 second', S],
    ['30 seconds', 30 * S],
    ['45 sec', 45 * S],
    ['45 secs', 45 * S],
    ['5m', 5 * M],
    ['5 min', 5 * M],
    ['10 mins', 10 * M],
    ['1 minute', M],
    ['2 minutes', 2 * M],
    ['2h', 2 * H],
    ['1 hr', H],
    ['2 hrs', 2 * H],
    ['1 hour', H],
    ['2 hours', 2 * H],
    ['1d', D],
    ['1 day', D],
    ['3 days', 3 * D],
    ['1w', W],
    ['1 wk', W],
    ['3 wks', 3 * W],
    ['1 week', W],
    ['2 weeks', 2 * W],
    ['1h 30m', H + 30 * M],
    ['1h30m', H + 30 * M],
    ['1 day 2 hours 3 minutes', D + 2 * H + 3 * M],
    ['  15m  ', 15 * M],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(DURATION_PATTERN.test(text.trim())).toBe(true);
  });

  it.each([
    '',
    '5',
    'm',
    '5 months',
    '1 month',
    '1.5h',
    '-5m',
    '5  m',
    '5mm',
    'h5',
    '5m and 3s',
    '5 m,3s',
    '1hour s',
  ])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it('writes the shortest faithful form', () => {
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(1_500)).toBe('1s 500ms');
    expect(formatDuration(90 * S)).toBe('1m 30s');
    expect(formatDuration(H)).toBe('1h');
    expect(formatDuration(2 * W + D + H + M + S + 1)).toBe('2w 1d 1h 1m 1s 1ms');
    expect(formatDuration(30 * D)).toBe('4w 2d');
  });

  it('reads back what it writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 * W }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
  });
});

describe('rotation lengths', () => {
  it.each([
    ['daily', { count: 1, unit: 'day' }],
    ['weekly', { count: 1, unit: 'week' }],
    ['2 weeks', { count: 2, unit: 'week' }],
    ['1 week', { count: 1, unit: 'week' }],
    ['3w', { count: 3, unit: 'week' }],
    ['12 hours', { count: 12, unit: 'hour' }],
    ['1 hour', { count: 1, unit: 'hour' }],
    ['8h', { count: 8, unit: 'hour' }],
    ['2 days', { count: 2, unit: 'day' }],
    ['1 day', { count: 1, unit: 'day' }],
    ['10d', { count: 10, unit: 'day' }],
    [' weekly ', { count: 1, unit: 'week' }],
  ])('reads %j', (text, length) => {
    expect(parseRotationLength(text)).toEqual(length);
  });

  it.each([
    '0 days',
    '01 day',
    '2 months',
    'hourly',
    'biweekly',
    '1.5 days',
    '2 weeks!',
    'daily please',
    '30m',
  ])('refuses %j', (text) => {
    expect(parseRotationLength(text)).toBeNull();
  });

  it('writes them the way people say them', () => {
    expect(formatRotationLength({ count: 1, unit: 'day' })).toBe('daily');
    expect(formatRotationLength({ count: 1, unit: 'week' })).toBe('weekly');
    expect(formatRotationLength({ count: 1, unit: 'hour' })).toBe('1 hour');
    expect(formatRotationLength({ count: 12, unit: 'hour' })).toBe('12 hours');
    expect(formatRotationLength({ count: 2, unit: 'week' })).toBe('2 weeks');
    expect(formatRotationLength({ count: 3, unit: 'day' })).toBe('3 days');
  });
});

describe('wall-clock times and dates', () => {
  it.each([
    ['00:00', { hour: 0, minute: 0 }],
    ['09:30', { hour: 9, minute: 30 }],
    ['17:05', { hour: 17, minute: 5 }],
    ['23:59', { hour: 23, minute: 59 }],
  ])('reads %j', (text, time) => {
    expect(parseLocalTime(text)).toEqual(time);
    expect(formatLocalTime(time)).toBe(text);
  });

  it.each(['24:00', '9:30', '09:60', '09:30:00', ' 09:30', '0930', 'noon'])('refuses %j', (text) => {
    expect(parseLocalTime(text)).toBeNull();
  });

  it('pads hours and minutes to two digits', () => {
    expect(formatLocalTime({ hour: 7, minute: 5 })).toBe('07:05');
  });

  it('shapes dates as YYYY-MM-DD', () => {
    expect(LOCAL_DATE_PATTERN.test('2026-11-02')).toBe(true);
    for (const text of ['2026-11-2', '26-11-02', '2026-11-02T00:00', ' 2026-11-02']) {
      expect(LOCAL_DATE_PATTERN.test(text)).toBe(false);
    }
  });
});
