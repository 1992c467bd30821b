import { describe, expect, it } from 'vitest';
import type { ShiftNotice } from '../../../src/jobs/shift-notice.js';
import {
  buildHandoffMessage,
  buildShiftNotice,
  scheduleTime,
  spanText,
} from '../../../src/slack/views/shift-messages.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const notice = (over: Partial<ShiftNotice> = {}): ShiftNotice => ({
  kind: 'start',
  schedule: 'primary',
  user: 'U0CAROL',
  startsAt: new Date('2026-12-02T08:00:00Z'),
  until: new Date('2026-12-09T08:00:00Z'),
  timezone: 'Europe/Berlin',
  escalation: [
    {
      policy: 'default',
      levels: [[{ kind: 'schedule', name: 'primary' }], [{ kind: 'schedule', name: 'secondary' }]],
    },
  ],
  ...over,
});

describe('shift notices', () => {
  it('says until when, in the schedule zone, and the escalation that pages the schedule', () => {
    expect(buildShiftNotice(notice(), new Date('2026-12-02T08:00:00Z')).text).toBe(
      ':pager: You are on call for *primary* until Wed 9 Dec 09:00 Europe/Berlin; escalation: primary → secondary.',
    );
  });

  it('ahead of the shift says how long until it starts; an open-ended shift says until further notice', () => {
    const text = buildShiftNotice(
      notice({ kind: 'before', until: null }),
      new Date('2026-12-02T07:00:00Z'),
    ).text;
    expect(text).toBe(
      ':alarm_clock: In 1 h you are on call for *primary*: from Wed 2 Dec 09:00 Europe/Berlin until further notice; escalation: primary → secondary.',
    );
    expect(buildShiftNotice(notice({ kind: 'before' }), new Date('2026-12-02T07:30:00Z')).text).toMatch(
      /^:alarm_clock: In 30 min/,
    );
  });

  it('names every policy when several page the schedule, people as mentions, emails escaped', () => {
    const text = buildShiftNotice(
      notice({
        escalation: [
          { policy: 'default', levels: [[{ kind: 'schedule', name: 'primary' }]] },
          {
            policy: 'payments',
            levels: [
              [{ kind: 'schedule', name: 'primary' }],
              [
                { kind: 'user', name: 'U0HEIDI' },
                { kind: 'user', name: '<!channel>@evil.test' },
              ],
            ],
          },
        ],
      }),
      new Date('2026-12-02T08:00:00Z'),
    ).text;
    expect(text).toContain(
      'escalation (default): primary; escalation (payments): primary → <@U0HEIDI> + &lt;!channel&gt;@evil.test.',
    );
    expect(text).not.toContain('<!channel>');
  });
});

describe('handoff messages', () => {
  const base = {
    schedule: 'primary',
    channel: 'C0TEAM',
    at: new Date('2026-12-09T08:00:00Z'),
    from: 'U0BOB',
    to: 'U0CAROL',
  };

  it('"@bob → @carol, 3 incidents last week, 1 still open"', () => {
    const since = new Date(base.at.getTime() - 7 * DAY);
    expect(buildHandoffMessage({ ...base, incidents: { since, total: 3, open: 1 } }).text).toBe(
      ':arrows_counterclockwise: *primary* on call: <@U0BOB> → <@U0CAROL>, 3 incidents last week, 1 still open.',
    );
    expect(buildHandoffMessage({ ...base, incidents: { since, total: 1, open: 0 } }).text).toContain(
      '1 incident last week, none still open.',
    );
  });

  it('from or to nobody (a restricted window), without counts when nobody was on call', () => {
    expect(buildHandoffMessage({ ...base, from: null, incidents: null }).text).toBe(
      ':arrows_counterclockwise: *primary* on call: nobody → <@U0CAROL>.',
    );
    expect(buildHandoffMessage({ ...base, to: null, incidents: null }).text).toContain('<@U0BOB> → nobody');
  });

  it.each([
    [7 * DAY + HOUR, 'last week'],
    [14 * DAY, 'in the last 2 weeks'],
    [DAY, 'in the last day'],
    [25 * HOUR, 'in the last day'],
    [3 * DAY, 'in the last 3 days'],
    [8 * HOUR, 'in the last 8 hours'],
    [20 * 60_000, 'in the last hour'],
  ])('names a shift of %i ms "%s"', (ms, text) => {
    expect(spanText(ms)).toBe(text);
  });

  it('writes times in the schedule zone whatever the machine zone', () => {
    expect(scheduleTime(new Date('2026-10-25T08:00:00Z'), 'Europe/Berlin')).toBe(
      'Sun 25 Oct 09:00 Europe/Berlin',
    );
  });
});
