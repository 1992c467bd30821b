import { describe, expect, it } from 'vitest';
import { coverAudience, windowProblem } from '../../../src/escalation/cover-service.js';
import type { Schedule } from '../../../src/escalation/oncall-config.js';
import { schedule } from '../../helpers/schedule-fixture.js';

const HOUR = 3_600_000;
const now = new Date('2026-12-02T12:00:00Z');
const at = (hours: number) => new Date(now.getTime() + hours * HOUR);

describe('the window of a cover request', () => {
  it('must start in the future, end after its start and last at most 14 days', () => {
    expect(windowProblem(at(1), at(9), now)).toBeNull();
    expect(windowProblem(at(9), at(1), now)).toBe('ends_before_start');
    expect(windowProblem(at(1), at(1), now)).toBe('ends_before_start');
    expect(windowProblem(now, at(2), now)).toBe('started');
    expect(windowProblem(at(-1), at(2), now)).toBe('started');
    expect(windowProblem(at(1), at(1 + 14 * 24), now)).toBeNull();
    expect(windowProblem(at(1), at(1 + 14 * 24 + 1), now)).toBe('too_long');
  });
});

describe('who a cover request goes to', () => {
  const layered = (extra: Partial<Schedule> = {}): Schedule => ({
    ...schedule({
      timezone: 'UTC',
      layers: [
        {
          rotation: { length: '1 week', handoff: '09:00', start: '2026-01-05' },
          participants: ['U0BOB0001', 'carol@acme.test'],
        },
        {
          rotation: { length: '1 day', handoff: '09:00', start: '2026-01-05' },
          participants: ['U0DAVE001', 'U0BOB0001'],
        },
      ],
    }),
    ...extra,
  });

  it('is every other participant of every layer, once, when the schedule has no team channel', () => {
    expect(coverAudience(layered(), { id: 'U0BOB0001', email: 'bob@acme.test' })).toEqual({
      channel: null,
      people: ['carol@acme.test', 'U0DAVE001'],
    });
    // Named by email in the file: still recognised as the requester.
    expect(coverAudience(layered(), { id: 'U0CAROL01', email: 'Carol@Acme.test' }).people).toEqual([
      'U0BOB0001',
      'U0DAVE001',
    ]);
  });

  it('is the team channel (`channel`, else `announce_channel`) when there is one; the people stay the fallback', () => {
    const both = layered({ channel: 'C0TEAM001', announceChannel: 'C0ANNOUNCE' });
    expect(coverAudience(both, { id: 'U0DAVE001', email: null }).channel).toBe('C0TEAM001');
    expect(
      coverAudience(layered({ announceChannel: 'C0TEAM001' }), { id: 'U0DAVE001', email: null }),
    ).toEqual({
      channel: 'C0TEAM001',
      people: ['U0BOB0001', 'carol@acme.test'],
    });
  });
});
