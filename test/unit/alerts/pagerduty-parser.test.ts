import { describe, expect, it } from 'vitest';
import {
  pagerDutyAccepted,
  pagerDutyInvalid,
  parsePagerDutyEvent,
} from '../../../src/alerts/pagerduty-parser.js';

const ROUTING_KEY = 'k'.repeat(32);
const context = { receivedAt: new Date('2026-12-02T14:05:00Z'), newDedupKey: () => 'generated-key' };

function trigger(fields: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) {
  return {
    routing_key: ROUTING_KEY,
    event_action: 'trigger',
    dedup_key: 'disk-full-db1',
    payload: {
      summary: 'Disk 95% full on db1',
      source: 'db1.example.com',
      severity: 'error',
      ...payload,
    },
    ...fields,
  };
}

function parsed(body: unknown) {
  const result = parsePagerDutyEvent(body, context);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.value;
}

describe('PagerDuty Events API v2', () => {
  it('reads a trigger: summary as title, source/component/group/class as labels, custom_details as details', () => {
    const { routingKey, event } = parsed(
      trigger(
        {
          links: [
            { href: 'https://grafana.example/d/1', text: 'Dashboard' },
            { href: 'https://wiki.example/rb', text: 'Runbook' },
          ],
          images: [{ src: 'https://grafana.example/i.png' }],
          client: 'Grafana',
          client_url: 'https://grafana.example',
        },
        {
          timestamp: '2015-07-17T08:42:58.315+0000',
          component: 'postgres',
          group: 'prod-datapipe',
          class: 'disk',
          custom_details: { free: '5%' },
        },
      ),
    );
    expect(routingKey).toBe(ROUTING_KEY);
    expect(event).toMatchObject({
      source: 'pagerduty',
      action: 'trigger',
      dedupKey: 'disk-full-db1',
      groupKey: null,
      title: 'Disk 95% full on db1',
      severity: 'SEV2',
      labels: { source: 'db1.example.com', component: 'postgres', group: 'prod-datapipe', class: 'disk' },
      details: { free: '5%' },
      links: [
        { text: 'Runbook', href: 'https://wiki.example/rb' },
        { text: 'Dashboard', href: 'https://grafana.example/d/1' },
        { text: 'Grafana', href: 'https://grafana.example' },
      ],
      at: new Date('2015-07-17T08:42:58.315Z'),
      actor: 'PagerDuty Events API',
    });
  });

  it('never keeps the routing key in the stored payload', () => {
    const { event } = parsed(trigger());
    expect(JSON.stringify(event.payload)).not.toContain(ROUTING_KEY);
    expect(event.payload).toMatchObject({ event_action: 'trigger', dedup_key: 'disk-full-db1' });
  });

  it('maps severities critical→SEV1, error→SEV2, warning→SEV3, info→SEV4', () => {
    const levels = ['critical', 'error', 'warning', 'info'].map(
      (severity) => parsed(trigger({}, { severity })).event.severity,
    );
    expect(levels).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
  });

  it('generates a dedup key for a trigger without one; uses the time received without a timestamp', () => {
    const { event } = parsed(trigger({ dedup_key: undefined }));
    expect(event.dedupKey).toBe('generated-key');
    expect(event.at).toEqual(context.receivedAt);
  });

  it('reads acknowledge and resolve by dedup key alone, ignoring any payload', () => {
    for (const action of ['acknowledge', 'resolve'] as const) {
      const { event } = parsed({
        routing_key: ROUTING_KEY,
        event_action: action,
        dedup_key: 'k1',
        payload: 7,
      });
      expect(event).toMatchObject({ action, dedupKey: 'k1', source: 'pagerduty' });
    }
  });

  it('custom_details that are not an object are kept under their name; non-http links are dropped', () => {
    const { event } = parsed(
      trigger(
        { links: [{ href: 'javascript:alert(1)' }, { href: 'https://ok.example' }] },
        { custom_details: 'disk' },
      ),
    );
    expect(event.details).toEqual({ custom_details: 'disk' });
    expect(event.links).toEqual([{ text: 'https://ok.example', href: 'https://ok.example' }]);
  });

  const refusals: [unknown, string[]][] = [
    [null, ['expected a JSON object (a PagerDuty Events API v2 event)']],
    [{}, ['routing_key: is required', 'event_action: expected "trigger", "acknowledge" or "resolve"']],
    [trigger({ routing_key: 5 }), ['routing_key: expected a string']],
    [trigger({ event_action: 'snooze' }), ['event_action: expected "trigger", "acknowledge" or "resolve"']],
    [trigger({ dedup_key: 'd'.repeat(256) }), ['dedup_key: expected at most 255 characters']],
    [trigger({ payload: undefined }), ['payload: is required']],
    [trigger({ payload: 'x' }), ['payload: expected an object with summary, source and severity']],
    [trigger({}, { summary: 's'.repeat(1025) }), ['payload.summary: expected at most 1024 characters']],
    [trigger({}, { summary: ' ' }), ['payload.summary: expected a non-empty summary']],
    [trigger({}, { source: undefined }), ['payload.source: is required']],
    [
      trigger({}, { severity: 'high' }),
      ['payload.severity: expected "critical", "error", "warning" or "info"'],
    ],
    [
      trigger({}, { timestamp: 'now' }),
      ['payload.timestamp: expected an ISO 8601 time such as 2026-12-02T14:05:00Z'],
    ],
    [trigger({ links: [{ text: 'x' }] }), ['links[0].href: is required']],
    [trigger({ images: 'x' }), ['images: expected a list of {src, href, alt}']],
    [{ routing_key: ROUTING_KEY, event_action: 'resolve' }, ['dedup_key: is required to resolve an alert']],
    [
      { routing_key: ROUTING_KEY, event_action: 'acknowledge' },
      ['dedup_key: is required to acknowledge an alert'],
    ],
  ];
  it.each(refusals.map(([input, errors]) => ({ input, errors })))('refuses: $errors', ({ input, errors }) => {
    expect(parsePagerDutyEvent(input, context)).toEqual({ ok: false, errors });
  });

  it("answers in PagerDuty's own shapes", () => {
    expect(pagerDutyAccepted('k1')).toEqual({
      status: 'success',
      message: 'Event processed',
      dedup_key: 'k1',
    });
    expect(pagerDutyInvalid(['payload.source: is required'])).toEqual({
      status: 'invalid event',
      message: 'Event object is invalid',
      errors: ['payload.source: is required'],
    });
  });
});
