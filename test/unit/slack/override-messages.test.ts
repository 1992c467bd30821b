import { describe, expect, it } from 'vitest';
import type { StoredOverride } from '../../../src/escalation/overrides-repo.js';
import { buildOverrideAnnouncement, buildOverrideList } from '../../../src/slack/views/override-messages.js';

const now = new Date('2026-12-02T12:00:00Z');
const date = (iso: string) => {
  const d = new Date(iso);
  return `<!date^${d.getTime() / 1000}^{date_short_pretty} at {time}|${iso.slice(0, 16).replace('T', ' ')} UTC>`;
};

const override = (id: number, fields: Partial<StoredOverride> = {}): StoredOverride => ({
  id,
  schedule: 'primary',
  userId: 'U0BOB0001',
  startsAt: new Date('2026-12-02T11:00:00Z'),
  endsAt: new Date('2026-12-02T13:00:00Z'),
  createdBy: 'U0BOB0001',
  ...fields,
});

const announcement = {
  event: 'placed' as const,
  overrideId: 7,
  schedule: 'primary',
  userId: 'U0BOB0001',
  startsAt: new Date('2026-12-02T12:00:00Z'),
  endsAt: new Date('2026-12-02T14:00:00Z'),
  actor: 'U0ADMIN01',
  others: ['U0CAROL01', 'dan@acme.test'],
  channel: null,
};

describe('override announcements', () => {
  it('say who covers, when, instead of whom, who set it and how to cancel', () => {
    expect(buildOverrideAnnouncement(announcement).text).toBe(
      `:repeat: <@U0BOB0001> is on call for *primary* from ${date('2026-12-02T12:00:00Z')} until ${date('2026-12-02T14:00:00Z')}, instead of <@U0CAROL01>, dan@acme.test (set by <@U0ADMIN01>). Override 7; cancel it with \`/incident oncall override cancel 7\`.`,
    );
  });

  it('leave out "set by" when people take it themselves, and say when nobody was on call', () => {
    const text = buildOverrideAnnouncement({ ...announcement, actor: 'U0BOB0001', others: [] }).text;
    expect(text).toContain(', where nobody was on call. Override 7;');
    expect(text).not.toContain('set by');
  });

  it('say who cancelled and who is back on call, or that the rota applies again', () => {
    const cancelled = { ...announcement, event: 'cancelled' as const, others: ['U0CAROL01'] };
    expect(buildOverrideAnnouncement(cancelled).text).toBe(
      `:leftwards_arrow_with_hook: <@U0ADMIN01> cancelled override 7, which put <@U0BOB0001> on call for *primary* until ${date('2026-12-02T14:00:00Z')}: <@U0CAROL01> back on call.`,
    );
    expect(buildOverrideAnnouncement({ ...cancelled, others: [] }).text).toContain(
      ': the rota applies again.',
    );
  });

  it('show an email that is not an address as text, never as markup', () => {
    const text = buildOverrideAnnouncement({ ...announcement, others: ['<!channel>@x'] }).text;
    expect(text).toContain('&lt;!channel&gt;@x');
    expect(text).not.toContain('<!channel>');
  });
});

describe('/incident oncall overrides', () => {
  it('lists overrides soonest first with ids, "now" for running ones and who set them', () => {
    const later = override(9, {
      userId: 'U0CAROL01',
      createdBy: 'U0ADMIN01',
      startsAt: new Date('2026-12-03T09:00:00Z'),
      endsAt: new Date('2026-12-03T17:00:00Z'),
    });
    expect(buildOverrideList([later, override(3)], now, null).text.split('\n')).toEqual([
      '*Overrides* (id, schedule, who, when)',
      `• \`3\` *primary*: <@U0BOB0001>, now until ${date('2026-12-02T13:00:00Z')}`,
      `• \`9\` *primary*: <@U0CAROL01>, ${date('2026-12-03T09:00:00Z')} until ${date('2026-12-03T17:00:00Z')} (set by <@U0ADMIN01>)`,
      'Cancel one with `/incident oncall override cancel <id>`.',
    ]);
  });

  it('says when there are none, naming the schedule asked for', () => {
    expect(buildOverrideList([], now, null).text).toBe('No overrides now or to come.');
    expect(buildOverrideList([], now, 'secondary').text).toBe('No overrides now or to come on *secondary*.');
  });

  it('lists 20 and counts the rest, well within what Slack takes as message text', () => {
    // The longest lines: 63-character schedule names, future windows, set by someone else.
    const schedule = 's'.repeat(63);
    const many = Array.from({ length: 40 }, (_, i) =>
      override(100_000 + i, {
        schedule,
        createdBy: 'U0ADMIN01',
        startsAt: new Date('2026-12-05T09:00:00Z'),
        endsAt: new Date('2026-12-06T09:00:00Z'),
      }),
    );
    const text = buildOverrideList(many, now, schedule).text;
    const lines = text.split('\n');
    expect(lines.filter((l) => l.startsWith('• '))).toHaveLength(20);
    expect(lines).toContain('…and 20 more.');
    expect(text.length).toBeLessThan(8000);
  });
});
