import { describe, expect, it } from 'vitest';
import { cardAlertOf, isWebUrl } from '../../../src/alerts/alert-card.js';
import type { IncidentAlert } from '../../../src/alerts/alert-incident-repo.js';
import { incidentTitle, runbookOf } from '../../../src/alerts/alert-incidents.js';
import { buildPostmortemMarkdown } from '../../../src/postmortem/postmortem-draft.js';
import { at, empty, incident, names } from '../postmortem/draft-fixture.js';

const alert = (over: Partial<IncidentAlert>): IncidentAlert => ({
  groupId: 3,
  title: 'High error rate on checkout',
  service: 'checkout',
  source: 'alertmanager',
  severity: 'SEV2',
  status: 'firing',
  count: 1,
  firstSeenAt: at('14:00'),
  lastSeenAt: at('14:00'),
  links: [],
  ...over,
});

describe('the alerts an incident was declared from', () => {
  it('shows every alert’s web links once, runbooks first, and counts the alerts', () => {
    const card = cardAlertOf([
      alert({
        links: [
          { text: 'Source', href: 'https://prom.example/a' },
          { text: 'Runbook', href: 'https://wiki.example/rb' },
        ],
      }),
      alert({
        title: 'Latency high',
        links: [
          { text: 'Source', href: 'https://prom.example/a' },
          { text: 'Dashboard', href: 'https://grafana.example/d' },
          { text: 'Evil', href: 'javascript:alert(1)' },
          { text: 'Broken', href: 'https://evil.example|sso.acme.com' },
        ],
      }),
    ]);
    expect(card).toEqual({
      title: 'High error rate on checkout',
      service: 'checkout',
      alerts: 2,
      links: [
        { text: 'Runbook', href: 'https://wiki.example/rb' },
        { text: 'Source', href: 'https://prom.example/a' },
        { text: 'Dashboard', href: 'https://grafana.example/d' },
      ],
    });
    expect(cardAlertOf([])).toBeNull();
  });

  it('takes the first runbook link as the incident’s runbook, only a web URL', () => {
    expect(runbookOf([alert({ links: [{ text: 'Runbook', href: 'ftp://x.example/rb' }] })])).toBeNull();
    expect(
      runbookOf([
        alert({ links: [{ text: 'Source', href: 'https://prom.example/a' }] }),
        alert({ links: [{ text: 'runbook_url', href: 'https://wiki.example/rb' }] }),
      ]),
    ).toBe('https://wiki.example/rb');
    expect(isWebUrl('https://a.example/x?y=1&z=2')).toBe(true);
    expect(isWebUrl('not a url')).toBe(false);
  });

  it('makes a one-line incident title of at most 150 characters', () => {
    expect(incidentTitle('  Disk\nfull   on db-1 ')).toBe('Disk full on db-1');
    const long = incidentTitle('é'.repeat(400));
    expect([...long]).toHaveLength(150);
    expect(long.endsWith('…')).toBe(true);
    expect(incidentTitle(' \n ')).toBe('Alert');
  });

  it('lists the alerts in the postmortem, with their counts and links, text escaped', () => {
    const base = { narrative: empty, events: [], followups: [], slo: null };
    const markdown = buildPostmortemMarkdown({
      ...base,
      incident: { ...incident, reporterId: 'Alertmanager' },
      names,
      generatedAt: at('16:00'),
      alerts: [
        alert({
          title: 'Errors <script> | high',
          count: 7,
          lastSeenAt: at('14:30'),
          links: [
            { text: 'Runbook', href: 'https://wiki.example/rb' },
            { text: 'Evil', href: 'javascript:alert(1)' },
          ],
        }),
      ],
    });
    expect(markdown).toContain(
      [
        '## Alerts',
        '',
        '| Alert | Service | Severity | First seen (UTC) | Last seen (UTC) | Count | Links |',
        '|---|---|---|---|---|---|---|',
        '| Errors &lt;script> \\| high | checkout | SEV2 | 2026-11-21 14:00 | 2026-11-21 14:30 | 7 | Runbook: https://wiki.example/rb |',
      ].join('\n'),
    );
    expect(markdown).toContain('**Reporter:** Alertmanager');
    expect(buildPostmortemMarkdown({ ...base, incident, names, generatedAt: at('16:00') })).not.toContain(
      '## Alerts',
    );
  });
});
