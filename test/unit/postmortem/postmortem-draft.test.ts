import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/incidents/incident-types.js';
import { errorBudget } from '../../../src/postmortem/error-budget.js';
import { buildPostmortemMarkdown, formatDuration } from '../../../src/postmortem/postmortem-draft.js';
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

describe('error budget', () => {
  it('matches the textbook: 99.9% over 30 days allows 43.2 minutes', () => {
    const budget = errorBudget({ target: 99.9, windowMs: 30 * DAY }, 0);
    expect(budget.allowedMs / 60_000).toBeCloseTo(43.2, 6);
    expect(formatDuration(budget.allowedMs)).toBe('43.2 min');
  });

  it('says a 45-minute outage consumes more than the whole budget', () => {
    const budget = errorBudget({ target: 99.9, windowMs: 30 * DAY }, 45 * 60_000);
    expect(budget.consumedFraction).toBeGreaterThan(1);
    expect(budget.consumedFraction).toBeCloseTo(45 / 43.2, 6);
  });

  it('scales with the SLO: 99.99% over 30 days allows 4.32 minutes', () => {
    expect(errorBudget({ target: 99.99, windowMs: 30 * DAY }, 0).allowedMs / 60_000).toBeCloseTo(4.32, 6);
  });
});

describe('postmortem draft', () => {
  it('renders a realistic incident (golden file)', async () => {
    const markdown = buildPostmortemMarkdown({
      incident,
      narrative,
      events,
      followups,
      slo: { target: 99.9, windowMs: 30 * DAY },
      names,
      generatedAt: at('15:31'),
    });
    await golden('realistic.md', markdown);
    expect(markdown).toContain('consumed 104.2% of it (more than the whole budget)');
    expect(markdown).toContain('| Alert on DB CPU above 90% for 5 min | @carol | 2026-12-01 | high |');
    // A pipe in a message cannot break the table.
    expect(markdown).toContain('DB CPU at 100% \\| since the [deploy 41](https://ci.example/deploy/41)');
  });

  it('says so plainly where there is no data (golden file)', async () => {
    const bare: Incident = {
      ...incident,
      summary: null,
      service: null,
      status: 'investigating',
      resolvedAt: null,
      closedAt: null,
    };
    const markdown = buildPostmortemMarkdown({
      incident: bare,
      narrative: empty,
      events: [],
      followups: [],
      slo: null,
      names: {},
      generatedAt: at('14:30'),
    });
    await golden('no-optional-data.md', markdown);
    for (const section of [
      'Summary',
      'Timeline',
      'Root cause',
      'Impact',
      'Metrics',
      'What went well',
      'What went wrong',
      'Action items',
      'Lessons learned',
      'Prevention',
    ]) {
      expect(markdown).toContain(`## ${section}`);
    }
    expect(markdown).toContain('_No root cause recorded yet._');
    expect(markdown).toContain('_No action items recorded yet._');
    expect(markdown).toContain('no SLO is configured');
    expect(markdown).toContain('Time to resolve: n/a');
  });
});

describe('people named in the draft', () => {
  it('are the roles, actors, paged and acknowledging people, owners and @-mentions', async () => {
    const { peopleNamedIn } = await import('../../../src/postmortem/postmortem-service.js');
    const ids = peopleNamedIn(
      { ...incident, commsId: 'UCOMMS0001' },
      [
        ...events,
        event('14:13', { kind: 'incident.note_added', details: { text: 'asked <@UDBA000001|dba> to look' } }),
        event('14:14', {
          kind: 'incident.role_assigned',
          details: { role: 'scribe', userId: 'USCRIBE001', previous: 'UOLD000001' },
        }),
      ],
      followups,
      { ...narrative, lessons: 'thanks <@ULESSON001>' },
    ).sort();
    expect(ids).toEqual(
      [
        'UALICE0001',
        'UBOB000001',
        'UCAROL0001',
        'UCOMMS0001',
        'UDBA000001',
        'ULESSON001',
        'USCRIBE001',
      ].sort(),
    );
  });
});
