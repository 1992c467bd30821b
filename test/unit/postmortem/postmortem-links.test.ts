import { describe, expect, it } from 'vitest';
import { buildPostmortemMarkdown, type PostmortemInput } from '../../../src/postmortem/postmortem-draft.js';
import { at, event, events, followups, incident, names, narrative } from './draft-fixture.js';

const base: PostmortemInput = {
  incident,
  narrative,
  events,
  followups,
  slo: null,
  names,
  generatedAt: at('15:31'),
};
const linksOf = (markdown: string) => {
  const start = markdown.indexOf('## Links\n');
  return start < 0 ? null : markdown.slice(start, markdown.indexOf('## Timeline'));
};

describe('postmortem links', () => {
  it('lists the runbook and the links responders added, before the timeline', () => {
    const markdown = buildPostmortemMarkdown({
      ...base,
      incident: { ...incident, runbookUrl: 'https://wiki.example/runbooks/checkout' },
      events: [
        ...events,
        event(
          '14:20',
          {
            kind: 'incident.link_added',
            details: { url: 'https://grafana.example/d/checkout', title: 'Latency & errors <p95>' },
          },
          'UBOB000001',
        ),
        event('14:21', {
          kind: 'incident.link_added',
          details: { url: 'https://status.example', title: null },
        }),
      ],
    });
    expect(linksOf(markdown)).toBe(
      [
        '## Links',
        '',
        '- Runbook: https://wiki.example/runbooks/checkout',
        '- Latency & errors &lt;p95>: https://grafana.example/d/checkout',
        '- https://status.example',
        '',
        '',
      ].join('\n'),
    );
    expect(markdown).toContain(
      '| Link by @bob: Latency & errors &lt;p95> https://grafana.example/d/checkout |',
    );
  });

  it('has no Links section when there are none', () => {
    expect(linksOf(buildPostmortemMarkdown(base))).toBeNull();
  });
});
