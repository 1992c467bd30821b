import { describe, expect, it } from 'vitest';
import { parseWebhookAlert } from '../../../src/alerts/webhook-parser.js';

const context = { service: 'checkout', receivedAt: new Date('2026-12-02T14:05:00Z') };

function parsed(body: unknown) {
  const result = parseWebhookAlert(body, context);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.value;
}

describe('the plain webhook', () => {
  it('reads a firing alert with every field', () => {
    const body = {
      title: 'Nightly export failed',
      status: 'firing',
      dedup_key: 'export-2026-12-02',
      severity: 'critical',
      details: { exit: 3 },
      link: 'https://ci.example/jobs/42',
    };
    expect(parsed(body)).toEqual({
      service: 'checkout',
      source: 'webhook',
      action: 'trigger',
      dedupKey: 'export-2026-12-02',
      groupKey: null,
      title: 'Nightly export failed',
      severity: 'SEV1',
      labels: {},
      details: { exit: 3 },
      links: [{ text: 'Link', href: 'https://ci.example/jobs/42' }],
      at: context.receivedAt,
      actor: 'webhook',
      payload: body,
    });
  });

  it('defaults: firing, dedup key = title, SEV3, no details or link', () => {
    expect(parsed({ title: 'Queue backed up' })).toMatchObject({
      action: 'trigger',
      dedupKey: 'Queue backed up',
      severity: 'SEV3',
      details: {},
      links: [],
    });
  });

  it('resolves by dedup key, or by the title it was raised with', () => {
    expect(parsed({ status: 'resolved', dedup_key: 'k1' })).toMatchObject({
      action: 'resolve',
      dedupKey: 'k1',
    });
    expect(parsed({ status: 'resolved', title: 'Queue backed up' })).toMatchObject({
      action: 'resolve',
      dedupKey: 'Queue backed up',
    });
  });

  it('takes severity words (critical, error, high, warning, info) and SEV1–SEV4, in any case', () => {
    const levels = ['critical', 'error', 'high', 'warning', 'info', 'sev1', 'SEV4'].map(
      (severity) => parsed({ title: 't', severity }).severity,
    );
    expect(levels).toEqual(['SEV1', 'SEV2', 'SEV2', 'SEV3', 'SEV4', 'SEV1', 'SEV4']);
  });

  const refusals: [unknown, string[]][] = [
    ['hi', ['expected a JSON object: { "title", "status", "dedup_key", "severity", "details", "link" }']],
    [{}, ['title: is required for a firing alert']],
    [{ title: '  ' }, ['title: expected a non-empty title']],
    [{ title: 't'.repeat(1025) }, ['title: expected at most 1024 characters']],
    [
      { status: 'resolved' },
      ['dedup_key: is required to resolve (or send the title the alert was raised with)'],
    ],
    [{ title: 't', status: 'down' }, ['status: expected "firing" or "resolved"']],
    [{ title: 't', dedup_key: 'd'.repeat(256) }, ['dedup_key: expected at most 255 characters']],
    [
      { title: 't', severity: 'meh' },
      ['severity: expected one of critical, error, high, warning, info, SEV1, SEV2, SEV3, SEV4'],
    ],
    [{ title: 't', details: [1] }, ['details: expected an object']],
    [{ title: 't', link: 'javascript:alert(1)' }, ['link: expected an http(s) URL']],
    [{ title: 't', titel: 'x' }, ['unknown field "titel"']],
  ];
  it.each(refusals.map(([input, errors]) => ({ input, errors })))('refuses: $errors', ({ input, errors }) => {
    expect(parseWebhookAlert(input, context)).toEqual({ ok: false, errors });
  });
});
