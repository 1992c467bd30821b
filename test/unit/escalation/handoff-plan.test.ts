import { describe, expect, it } from 'vitest';
import {
  handoffsBetween,
  planHandoffWork,
  STALE_AFTER_MS,
  stretchStart,
} from '../../../src/escalation/handoff-plan.js';
import { at, schedule } from '../../helpers/schedule-fixture.js';

const HOUR = 3_600_000;

/** A daily Berlin rota at 09:00 across the end of summer time (Sunday 25 October 2026, 03:00 → 02:00). */
const daily = (extra: Record<string, unknown> = {}) =>
  schedule({
    timezone: 'Europe/Berlin',
    rotation: { length: 'daily', handoff: '09:00', start: '2026-10-21' },
    participants: ['UBOB', 'UCAROL', 'UDAVE'],
    ...extra,
  });

const summary = (h: { at: Date; from: string | null; to: string | null; until: Date | null }) => ({
  at: h.at.toISOString(),
  from: h.from,
  to: h.to,
  until: h.until?.toISOString() ?? null,
});

describe('handoffs: the instants at which who is on call changes', () => {
  it('happen at local 09:00 every day across the DST change (07:00Z in summer, 08:00Z in winter)', () => {
    const handoffs = handoffsBetween(daily(), at('2026-10-22T12:00:00Z'), at('2026-10-28T12:00:00Z'));
    expect(handoffs.map((h) => h.at.toISOString())).toEqual([
      '2026-10-23T07:00:00.000Z',
      '2026-10-24T07:00:00.000Z',
      '2026-10-25T08:00:00.000Z',
      '2026-10-26T08:00:00.000Z',
      '2026-10-27T08:00:00.000Z',
      '2026-10-28T08:00:00.000Z',
    ]);
    // The shift spanning the change lasts 25 hours.
    expect(summary(handoffs[1]!)).toEqual({
      at: '2026-10-24T07:00:00.000Z',
      from: 'UDAVE',
      to: 'UBOB',
      until: '2026-10-25T08:00:00.000Z',
    });
  });

  it('are not made by adjacent shifts of the same person, and an override makes two', () => {
    const alone = schedule({
      timezone: 'Europe/Berlin',
      rotation: { length: 'daily', handoff: '09:00', start: '2026-10-21' },
      participants: ['UBOB'],
      overrides: [{ user: 'UCAROL', from: '2026-10-23T12:00', to: '2026-10-23T14:00' }],
    });
    expect(
      handoffsBetween(alone, at('2026-10-22T00:00:00Z'), at('2026-10-26T00:00:00Z')).map(summary),
    ).toEqual([
      { at: '2026-10-23T10:00:00.000Z', from: 'UBOB', to: 'UCAROL', until: '2026-10-23T12:00:00.000Z' },
      // Bob's turns go on day after day: no handoff within the look-ahead.
      { at: '2026-10-23T12:00:00.000Z', from: 'UCAROL', to: 'UBOB', until: null },
    ]);
  });

  it('include the end of a restricted window (to nobody) and its start (from nobody)', () => {
    const office = daily({ restrictions: [{ from: '09:00', to: '17:00' }] });
    expect(
      handoffsBetween(office, at('2026-10-23T00:00:00Z'), at('2026-10-24T00:00:00Z')).map(summary),
    ).toEqual([
      { at: '2026-10-23T07:00:00.000Z', from: null, to: 'UDAVE', until: '2026-10-23T15:00:00.000Z' },
      { at: '2026-10-23T15:00:00.000Z', from: 'UDAVE', to: null, until: '2026-10-24T07:00:00.000Z' },
    ]);
  });

  it("finds where the current person's stretch began, merging their adjacent shifts", () => {
    const alone = schedule({
      timezone: 'UTC',
      rotation: { length: 'daily', handoff: '09:00', start: '2026-10-21' },
      participants: ['UBOB'],
    });
    expect(stretchStart(alone, at('2026-10-25T12:00:00Z'))?.toISOString()).toBe('2026-10-21T09:00:00.000Z');
    expect(stretchStart(daily(), at('2026-10-25T12:00:00Z'))?.toISOString()).toBe('2026-10-25T08:00:00.000Z');
  });
});

describe('planHandoffWork: what a timer fire does and when it wakes next', () => {
  it('wakes an hour before the next shift for its notice, then at the handoff', () => {
    const rota = daily();
    const early = planHandoffWork(rota, {
      processedUntil: at('2026-10-24T12:00:00Z'),
      now: at('2026-10-24T12:00:00Z'),
      notifyBeforeMs: HOUR,
    });
    expect(early.nextAt.toISOString()).toBe('2026-10-25T07:00:00.000Z');
    expect(early.handoffs).toEqual([]);

    const notice = planHandoffWork(rota, {
      processedUntil: at('2026-10-24T12:00:00Z'),
      now: at('2026-10-25T07:00:00Z'),
      notifyBeforeMs: HOUR,
    });
    expect(notice.forewarn.map((h) => [h.at.toISOString(), h.to])).toEqual([
      ['2026-10-25T08:00:00.000Z', 'UCAROL'],
    ]);
    expect(notice.handoffs).toEqual([]);
    expect(notice.nextAt.toISOString()).toBe('2026-10-25T08:00:00.000Z');

    const handoff = planHandoffWork(rota, {
      processedUntil: at('2026-10-25T07:00:00Z'),
      now: at('2026-10-25T08:00:00Z'),
      notifyBeforeMs: HOUR,
    });
    expect(handoff.handoffs.map(summary)).toEqual([
      { at: '2026-10-25T08:00:00.000Z', from: 'UBOB', to: 'UCAROL', until: '2026-10-26T08:00:00.000Z' },
    ]);
    expect(handoff.announce).toHaveLength(1);
    expect(handoff.forewarn).toEqual([]);
    expect(handoff.nextAt.toISOString()).toBe('2026-10-26T07:00:00.000Z');
  });

  it('with notify_before off, wakes only at handoffs', () => {
    const work = planHandoffWork(daily(), {
      processedUntil: at('2026-10-24T12:00:00Z'),
      now: at('2026-10-24T12:00:00Z'),
      notifyBeforeMs: null,
    });
    expect(work.nextAt.toISOString()).toBe('2026-10-25T08:00:00.000Z');
  });

  it('a fire hours late still sets the user group but announces nothing stale', () => {
    const work = planHandoffWork(daily(), {
      processedUntil: at('2026-10-25T06:00:00Z'),
      now: new Date(at('2026-10-25T08:00:00Z').getTime() + STALE_AFTER_MS + 60_000),
      notifyBeforeMs: HOUR,
    });
    expect(work.handoffs.map((h) => h.at.toISOString())).toEqual(['2026-10-25T08:00:00.000Z']);
    expect(work.announce).toEqual([]);
    expect(work.forewarn).toEqual([]);
  });

  it('a schedule with no handoff ahead looks again before the horizon ends', () => {
    const alone = schedule({
      timezone: 'UTC',
      rotation: { length: 'daily', handoff: '09:00', start: '2026-10-21' },
      participants: ['UBOB'],
    });
    const now = at('2026-10-25T12:00:00Z');
    const work = planHandoffWork(alone, { processedUntil: now, now, notifyBeforeMs: HOUR });
    expect(work.handoffs).toEqual([]);
    expect(work.nextAt.getTime()).toBeGreaterThan(now.getTime() + 7 * 86_400_000);
  });
});
