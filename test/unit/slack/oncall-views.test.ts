import { blockLimitProblems } from '@incident-bot/local-slack';
import { describe, expect, it } from 'vitest';
import type { OnCallShift } from '../../../src/escalation/schedule.js';
import { buildCalendarLinksMessage, buildOncallMessage } from '../../../src/slack/views/oncall-views.js';

const shift = (user: string, start: string, end: string): OnCallShift => ({
  user,
  start: new Date(start),
  end: new Date(end),
  source: { kind: 'layer', layer: 0, layerName: 'layer 1', turn: 3 },
});

describe('/incident oncall', () => {
  const row = {
    schedule: 'primary',
    usergroup: 'checkout-oncall',
    current: shift('U0ANNA001', '2026-12-21T09:00:00Z', '2026-12-28T09:00:00Z'),
    next: shift('dana@acme.test', '2026-12-28T09:00:00Z', '2027-01-04T09:00:00Z'),
  };

  it('shows who is on call then, from when, the handle of the schedule’s user group (without pinging it) and the moment as typed', () => {
    const asked = {
      instant: new Date('2026-12-24T03:00:00Z'),
      typed: '2026-12-24 03:00',
      zone: 'Europe/London',
    };
    expect(buildOncallMessage([row], asked).text).toBe(
      [
        '*On call on <!date^1798081200^{date_short_pretty} at {time}|2026-12-24 03:00 UTC>* (2026-12-24 03:00 Europe/London)',
        '*primary* (`@checkout-oncall`) — then: <@U0ANNA001> from <!date^1797843600^{date_short_pretty} at {time}|2026-12-21 09:00 UTC> until <!date^1798448400^{date_short_pretty} at {time}|2026-12-28 09:00 UTC> · next: dana@acme.test from <!date^1798448400^{date_short_pretty} at {time}|2026-12-28 09:00 UTC>',
      ].join('\n'),
    );
  });

  it('says now, and nobody, as before', () => {
    const empty = { schedule: 'night <!here>', usergroup: null, current: null, next: null };
    expect(buildOncallMessage([empty], null).text).toBe(
      '*On call*\n*night &lt;!here&gt;* — now: _nobody_ · next: _nobody scheduled_',
    );
    expect(buildOncallMessage([], null).text).toBe('No schedules are configured in `oncall.yaml`.');
  });
});

describe('the calendar links DM', () => {
  it('lists the personal link, one per schedule, how to subscribe and how to revoke, within Slack’s limits', () => {
    const base = 'https://bot.example/oncall/calendar/';
    const schedules = Array.from({ length: 60 }, (_, i) => ({
      schedule: `team-${i}-schedule`,
      url: `${base}${String(i).padStart(43, 'x')}.ics`,
    }));
    const message = buildCalendarLinksMessage({ personal: `${base}${'p'.repeat(43)}.ics`, schedules });
    expect(message.text).toContain(`*Your shifts on every schedule:*\n<${base}${'p'.repeat(43)}.ics>`);
    expect(message.text).toContain(`• *team-59-schedule*: <${schedules[59]!.url}>`);
    expect(message.text).toContain('`/incident oncall calendar reset` revokes every link you were given.');
    expect(blockLimitProblems(message.blocks, 50)).toEqual([]);
  });
});
