import { describe, expect, it } from 'vitest';
import { parseRules, rulesOncallYaml } from '../../../bench/escalation/rules-config.js';
import { rulesFigures, type StepRecord } from '../../../bench/escalation/rules-figures.js';
import { parseOncallConfig } from '../../../src/escalation/oncall-config.js';

const rules = parseRules('slack:0,push:1000')!;
const step = (fields: Partial<StepRecord> & Pick<StepRecord, 'pageId' | 'step'>): StepRecord => ({
  channel: fields.step === 0 ? 'slack' : 'push',
  target: `topic-${fields.pageId}`,
  status: 'sent',
  dueAt: 1000 + fields.step * 1000,
  sentAt: null,
  ...fields,
});

describe('the escalation bench rules round figures', () => {
  const figures = rulesFigures(
    2,
    rules,
    [
      step({ pageId: 1, step: 0, sentAt: 1100 }),
      step({ pageId: 1, step: 1, sentAt: 2300 }),
      step({ pageId: 2, step: 0, sentAt: 1050 }),
      step({ pageId: 2, step: 1, status: 'pending' }),
    ],
    [
      { channel: 'slack', key: 'page-1', at: 1090 },
      { channel: 'slack', key: 'page-2', at: 1040 },
      { channel: 'slack', key: 'page-2', at: 1400 },
      { channel: 'push', key: 'topic-1', at: 2250 },
    ],
  );

  it('counts a step never sent as lost and a second arrival of one step as a duplicate', () => {
    expect(figures).toMatchObject({ expected: 4, planned: 4, lost: 1, duplicates: 1, unreceived: 0 });
    expect(figures.counts).toMatchObject({ sent: 3, pending: 1 });
  });

  it('measures lateness from the due time, by the bot and by the first arrival at the fake', () => {
    expect(figures.lateness).toEqual({ count: 3, p50: 100, p99: 300, max: 300 });
    expect(figures.arrivalLateness).toEqual({ count: 3, p50: 90, p99: 250, max: 250 });
    expect(figures.byStep[1]!.lateness).toEqual({ count: 1, p50: 300, p99: 300, max: 300 });
    expect(figures.deliveriesPerSecond).toBeCloseTo(3 / 1.3);
  });

  it('counts a step the bot marked sent but no fake received', () => {
    const lostInTransit = rulesFigures(1, rules, [step({ pageId: 7, step: 1, sentAt: 2100 })], []);
    expect(lostInTransit).toMatchObject({ unreceived: 1, lost: 1 });
  });
});

describe('the escalation bench rules option', () => {
  it('reads via:afterMs lists and none, and says what it expects otherwise', () => {
    expect(parseRules('none')).toBeNull();
    expect(parseRules('slack:0, sms:2000ms')).toEqual([
      { via: 'slack', afterMs: 0 },
      { via: 'sms', afterMs: 2000 },
    ]);
    expect(() => parseRules('pager:0')).toThrow(/via one of slack, push, sms, voice, email.*got "pager:0"/);
    expect(() => parseRules('push:0,push:300')).toThrow(
      '--rules may name each channel once; push appears twice',
    );
  });

  it('gives every bench person a number, topic and address of their own (no throttle applies)', () => {
    const config = parseOncallConfig(rulesOncallYaml(3, parseRules('sms:0,voice:1000')!, 60_000), 'bench');
    const people = Object.values(config.people);
    expect(new Set(people.map((p) => p.phone)).size).toBe(3);
    expect(new Set(people.map((p) => p.pushTopic)).size).toBe(3);
    expect(people[0]!.notify).toEqual([
      { via: 'sms', afterMs: 0 },
      { via: 'voice', afterMs: 1000 },
    ]);
  });
});
