import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/incidents/incident-types.js';
import { errorBudget } from '../../../src/postmortem/error-budget.js';
import {
  buildPostmortemMarkdown,
  formatDuration,
  type PostmortemInput,
  slackToMarkdown,
} from '../../../src/postmortem/postmortem-draft.js';
import {
  at,
  DAY,
  empty,
  event,
  events,
  followups,
  golden,
  incident,
  names,
  narrative,
} from './draft-fixture.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const base: PostmortemInput = {
  incident,
  narrative,
  events,
  followups,
  slo: { target: 99.9, windowMs: 30 * DAY },
  names,
  generatedAt: at('15:31'),
};
const draft = (changes: Partial<PostmortemInput>) => buildPostmortemMarkdown({ ...base, ...changes });

describe('postmortem durations', () => {
  it('are written in days, hours and minutes from an hour on', () => {
    expect(formatDuration(90 * MIN)).toBe('1 h 30 min');
    expect(formatDuration(HOUR)).toBe('1 h');
    expect(formatDuration(2 * HOUR + 5 * MIN)).toBe('2 h 5 min');
    expect(formatDuration(DAY)).toBe('1 d');
    expect(formatDuration(DAY + 3 * HOUR + 7 * MIN)).toBe('1 d 3 h 7 min');
    expect(formatDuration(2 * DAY + 20 * MIN)).toBe('2 d 20 min');
    expect(formatDuration(59 * HOUR + 59 * MIN)).toBe('2 d 11 h 59 min');
  });

  it('keep a tenth of a minute below an hour, and seconds below a minute', () => {
    expect(formatDuration(45 * MIN)).toBe('45 min');
    expect(formatDuration(MIN)).toBe('1 min');
    expect(formatDuration(43.2 * MIN)).toBe('43.2 min');
    expect(formatDuration(59.5 * MIN)).toBe('59.5 min');
    expect(formatDuration(59_999)).toBe('60 s');
    expect(formatDuration(30_000)).toBe('30 s');
    expect(formatDuration(0)).toBe('0 s');
  });

  it('render a multi-hour incident (golden file)', async () => {
    const declaredAt = new Date('2026-11-21T22:40:00Z');
    const long: Incident = {
      ...incident,
      declaredAt,
      resolvedAt: new Date('2026-11-23T00:10:00Z'), // 25 h 30 min later
      closedAt: new Date('2026-11-23T09:00:00Z'),
    };
    const markdown = draft({
      incident: long,
      events: [
        event('22:40', { kind: 'escalation.paged', details: { level: 1, pass: 1, targets: [] } }),
        { ...event('23:50', { kind: 'escalation.acknowledged', details: { by: 'UCAROL0001' } }) },
      ],
      followups: [],
      generatedAt: new Date('2026-11-23T09:05:00Z'),
    });
    await golden('multi-hour.md', markdown);
    expect(markdown).toContain('- **Duration:** 1 d 1 h 30 min\n');
    expect(markdown).toContain('- Time to acknowledge: 1 h 10 min');
    expect(markdown).toContain('- Time to resolve: 1 d 1 h 30 min');
    expect(markdown).toContain('- Resolved: 2026-11-23 00:10');
  });
});

describe('a postmortem of a resolved incident not yet closed', () => {
  it('measures to the resolution and does not call it still open (golden file)', async () => {
    const resolved: Incident = { ...incident, status: 'resolved', closedAt: null };
    const markdown = draft({ incident: resolved, generatedAt: at('18:00') });
    await golden('resolved-not-closed.md', markdown);
    expect(markdown).toContain('- **Duration:** 45 min\n');
    expect(markdown).not.toContain('still open');
    expect(markdown).toContain('- **Status:** resolved');
  });

  it('measures a closed incident that skipped "resolved" to its closing', () => {
    const closedOnly: Incident = { ...incident, resolvedAt: null, closedAt: at('15:30') };
    const markdown = draft({ incident: closedOnly, generatedAt: at('18:00') });
    expect(markdown).toContain('- **Duration:** 1 h 30 min\n');
    expect(markdown).toContain('- Resolved: not yet');
    expect(markdown).toContain('- Time to resolve: n/a');
  });

  it('measures an open incident up to when the draft was made, and says it is open', () => {
    const open: Incident = { ...incident, status: 'monitoring', resolvedAt: null, closedAt: null };
    expect(draft({ incident: open, generatedAt: at('16:00') })).toContain(
      '- **Duration:** 2 h (still open)\n',
    );
  });
});

describe('the error budget in a postmortem', () => {
  it('says how much of the budget an outage consumed, without claiming the whole of it', () => {
    const short: Incident = { ...incident, resolvedAt: at('14:04'), closedAt: at('14:30') };
    const markdown = draft({ incident: short });
    expect(markdown).toContain(
      '- Error budget: the 99.9% SLO over 30 d allows 43.2 min of downtime; this incident consumed 9.3% of it.',
    );
    expect(markdown).not.toContain('more than the whole budget');
  });

  it('computes the fraction consumed, not only whether the budget is gone', () => {
    const budget = errorBudget({ target: 99, windowMs: 10 * HOUR }, 3 * MIN);
    expect(budget.allowedMs).toBeCloseTo(6 * MIN, 6);
    expect(budget.consumedFraction).toBeCloseTo(0.5, 9);
  });

  it('treats a 100% SLO as allowing no downtime at all', () => {
    const budget = errorBudget({ target: 100, windowMs: 30 * DAY }, MIN);
    expect(budget).toEqual({ allowedMs: 0, consumedFraction: Number.POSITIVE_INFINITY });
    expect(errorBudget({ target: 100, windowMs: 30 * DAY }, 0)).toEqual({
      allowedMs: 0,
      consumedFraction: 0,
    });
    expect(draft({ slo: { target: 100, windowMs: 30 * DAY } })).toContain(
      'allows 0 s of downtime; this incident consumed all of it (more than the whole budget).',
    );
  });

  it('says an outage of exactly the budget consumed all of it, not more', () => {
    const exactly = draft({ slo: { target: 90, windowMs: 450 * MIN } }); // allows 45 min: the incident's length
    expect(exactly).toContain('allows 45 min of downtime; this incident consumed 100.0% of it.');
  });

  it('names the service without an SLO', () => {
    expect(draft({ slo: null })).toContain('- Error budget: no SLO is configured for service "checkout".');
  });
});

describe('Slack text in a postmortem', () => {
  it('renders mentions as names, falling back to the label and then the id', () => {
    expect(slackToMarkdown('ask <@U123> and <@W456|dana> and <@U789|old>', { U123: 'ed', U789: 'fay' })).toBe(
      'ask @ed and @dana and @fay',
    );
    expect(slackToMarkdown('<@U123>', {})).toBe('@U123');
  });

  it('renders channels, links and entities as readable Markdown', () => {
    expect(slackToMarkdown('see <#C0123|ops-war-room> and <#C9|db>', {})).toBe('see #ops-war-room and #db');
    expect(slackToMarkdown('<https://a.example/x?y=1|the graph> and <https://b.example/z>', {})).toBe(
      '[the graph](https://a.example/x?y=1) and https://b.example/z',
    );
    expect(slackToMarkdown('<http://intranet/wiki|wiki> or <http://intranet/>', {})).toBe(
      '[wiki](http://intranet/wiki) or http://intranet/',
    );
    // Slack's entities are already what Markdown needs: `&lt;script&gt;` never becomes a tag.
    expect(slackToMarkdown('p99 &lt; 2 s &amp;&amp; errors &gt; 1% &lt;script&gt;', {})).toBe(
      'p99 &lt; 2 s &amp;&amp; errors &gt; 1% &lt;script&gt;',
    );
    expect(slackToMarkdown('&amp;lt;', {})).toBe('&amp;lt;');
    // A raw `<` or `>` (never sent by Slack, but possible from an API client) is escaped, not dropped.
    expect(slackToMarkdown('a stray < and > here', {})).toBe('a stray &lt; and &gt; here');
    expect(slackToMarkdown('<!here> and <!subteam^S01|@sre> <!channel|channel>', {})).toBe(
      '@here and @sre channel',
    );
  });

  it('renders mentions and entities everywhere in the draft (golden file)', async () => {
    const markdown = draft({
      incident: {
        ...incident,
        title: 'Checkout & payments <EU>',
        summary: 'Paged @carol; see #ops <script>alert(1)</script> &lt;b&gt;',
        commanderId: 'UNONAME001',
      },
      narrative: {
        ...empty,
        resolution: 'Rolled back per the runbook (https://runbooks.example/rb)',
        rootCause: 'Config push by @dave & a cache flush',
        usersAffected: '>10k',
      },
      events: [
        event('14:01', {
          kind: 'incident.channel_created',
          details: { channelId: 'CINC000012', channelName: 'inc-12-checkout' },
        }),
        event('14:20', {
          kind: 'incident.note_added',
          details: { text: 'line one\nline two | with a pipe' },
        }),
        event('14:25', {
          kind: 'timeline.message_added',
          details: {
            channelId: 'CINC000012',
            ts: '1.3',
            authorId: 'UCAROL0001',
            text: '<!here> <@UCAROL0001> says &lt;img src=x onerror=alert(1)&gt;',
            permalink: null,
            via: 'pin',
          },
        }),
      ],
      followups: [
        { ...followups[0]!, text: 'Fix @carol’s alert\r\nand the dashboard', ownerId: 'UGONE00001' },
      ],
    });
    await golden('mentions-and-entities.md', markdown);
    expect(markdown).toContain('# Postmortem: Incident #12 — Checkout & payments &lt;EU>');
    // Typed HTML reads as text: nothing in the draft turns it into markup.
    expect(markdown).toContain('Paged @carol; see #ops &lt;script>alert(1)&lt;/script> &amp;lt;b&amp;gt;');
    expect(markdown).toContain('@here @carol says &lt;img src=x onerror=alert(1)&gt;');
    expect(markdown).not.toMatch(/<(?:script|img|b)\b/);
    expect(markdown).toContain('- **Commander:** @UNONAME001');
    expect(markdown).toContain('Config push by @dave & a cache flush');
    expect(markdown).toContain('- **Impact:** >10k users affected');
    expect(markdown).toContain('| Note: line one line two \\| with a pipe |');
    expect(markdown).toContain('| 2026-11-21 14:01 | Channel #inc-12-checkout created |');
    expect(markdown).toContain('| Fix @carol’s alert and the dashboard | @UGONE00001 | 2026-12-01 | high |');
    expect(markdown).not.toContain('undefined');
  });

  it('says who is unassigned and who nobody is', () => {
    const markdown = draft({
      incident: { ...incident, commanderId: null },
      followups: [{ ...followups[1]!, ownerId: null }],
    });
    expect(markdown).toContain('- **Commander:** nobody · **Reporter:** @alice');
    expect(markdown).toContain(
      '| Canary deploys for the query planner change | unassigned | none | normal |',
    );
  });
});
