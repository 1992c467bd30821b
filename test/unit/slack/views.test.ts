import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/incidents/incident-types.js';
import { parseDeclareForm } from '../../../src/slack/forms/declare-form.js';
import { BlockId, CallbackId } from '../../../src/slack/ids.js';
import { buildDeclareModal } from '../../../src/slack/views/declare-modal.js';
import { buildIncidentAnnouncement } from '../../../src/slack/views/incident-announcement.js';
import { buildIncidentHeadline, buildIncidentTopic } from '../../../src/slack/views/incident-headline.js';
import { buildIncidentList } from '../../../src/slack/views/incident-list.js';

const incident: Incident = {
  id: 41,
  number: 12,
  title: 'API Latency Spike',
  summary: 'p99 latency above 2 s for <all> EU customers & partners',
  severity: 'SEV2',
  status: 'investigating',
  isPrivate: false,
  service: 'checkout',
  reporterId: 'UALICE0001',
  commanderId: 'UBOB000001',
  originChannelId: 'CGENERAL01',
  declaredAt: new Date('2026-11-21T14:05:00Z'),
  resolvedAt: null,
  closedAt: null,
  updatedAt: new Date('2026-11-21T14:05:00Z'),
  channelId: 'CINC000012',
  channelName: 'inc-12-api-latency-spike',
  commsId: null,
  scribeId: null,
  lastUpdateText: null,
  lastUpdateAt: null,
  version: 0,
  reminderDueAt: null,
  reminderEpoch: 0,
  runbookUrl: null,
};

describe('headline card', () => {
  it('links the service runbook, and shows a URL that could break the link as text', () => {
    const fieldsOf = (runbookUrl: string) =>
      (
        buildIncidentHeadline({ ...incident, runbookUrl }).blocks[1] as { fields: { text: string }[] }
      ).fields.map((f) => f.text);
    expect(fieldsOf('https://wiki.example/runbooks/checkout')).toContain(
      '*Runbook*\n<https://wiki.example/runbooks/checkout|Open the runbook>',
    );
    expect(fieldsOf('https://evil.example|sso.acme.com')).toContain(
      '*Runbook*\nhttps://evil.example|sso.acme.com',
    );
  });

  it('shows title, severity, status, commander, reporter and start time, with fallback text', () => {
    const card = buildIncidentHeadline(incident);
    expect(card.text).toBe('Incident #12 (SEV2, investigating): API Latency Spike');
    expect(card.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Incident #12: API Latency Spike', emoji: true },
    });
    const fields = (card.blocks[1] as { fields: { text: string }[] }).fields.map((f) => f.text);
    expect(fields).toEqual([
      '*Severity*\n:large_orange_circle: SEV2 · High',
      '*Status*\nInvestigating',
      '*Commander*\n<@UBOB000001>',
      '*Reporter*\n<@UALICE0001>',
      '*Started*\n<!date^1795269900^{date_short_pretty} at {time}|2026-11-21 14:05 UTC>',
      '*Service*\ncheckout',
    ]);
    // User text is escaped so it cannot inject mentions or links.
    expect(JSON.stringify(card.blocks[2])).toContain('&lt;all&gt; EU customers &amp; partners');
    expect(card.metadata).toEqual({ event_type: 'incident_headline', event_payload: { incident_id: 41 } });
  });

  it('keeps the header within Slack’s 150 characters and marks private incidents', () => {
    const card = buildIncidentHeadline({ ...incident, title: 'x'.repeat(150), isPrivate: true });
    const header = (card.blocks[0] as { text: { text: string } }).text.text;
    expect([...header].length).toBeLessThanOrEqual(150);
    expect(JSON.stringify(card.blocks.at(-1))).toContain(':lock: Private incident');
  });

  it('shows who acknowledged while acknowledged and once resolved, not after a re-trigger; a resolved card offers closing', () => {
    const text = (card: ReturnType<typeof buildIncidentHeadline>) => JSON.stringify(card.blocks);
    const paging = { epoch: 1, acknowledgedBy: 'U0BOB' };
    expect(text(buildIncidentHeadline(incident, { ...paging, state: 'acknowledged' }))).toContain(
      'Acknowledged by*\\n<@U0BOB>',
    );
    const resolved = buildIncidentHeadline(
      { ...incident, status: 'resolved' },
      { ...paging, state: 'resolved' },
    );
    expect(text(resolved)).toContain('Acknowledged by*\\n<@U0BOB>');
    expect(text(resolved)).toContain('headline-close');
    expect(text(resolved)).not.toContain('Respond within');
    expect(text(buildIncidentHeadline(incident, { ...paging, state: 'triggered' }))).not.toContain(
      'Acknowledged by',
    );
  });

  it('puts severity, status and commander in the topic', () => {
    expect(buildIncidentTopic(incident)).toBe('SEV2 · Investigating · Commander: <@UBOB000001>');
    expect(buildIncidentTopic({ ...incident, commanderId: null })).toBe(
      'SEV2 · Investigating · No commander yet',
    );
  });
});

describe('announcement', () => {
  it('links the channel and carries a Join button with the incident id', () => {
    const message = buildIncidentAnnouncement(incident);
    expect(message.text).toBe(':rotating_light: Incident #12 declared (SEV2): API Latency Spike');
    expect(JSON.stringify(message.blocks)).toContain('<#CINC000012>');
    const actions = message.blocks[1] as { elements: { action_id: string; value: string }[] };
    expect(actions.elements[0]).toMatchObject({ action_id: 'incident-join', value: '41' });
  });
});

describe('incident list', () => {
  it('shows number, title, severity, status, age and channel, newest first as given', () => {
    const now = new Date('2026-11-21T16:10:00Z');
    const list = buildIncidentList(
      [
        incident,
        {
          ...incident,
          id: 42,
          number: 13,
          title: 'Queue backlog',
          severity: 'SEV4',
          declaredAt: new Date('2026-11-19T10:00:00Z'),
        },
      ],
      now,
    );
    expect(list.text).toBe(
      [
        'Open incidents (2):',
        '*#12* API Latency Spike — SEV2 · Investigating · 2h 5m · <#CINC000012>',
        '*#13* Queue backlog — SEV4 · Investigating · 2d 6h · <#CINC000012>',
      ].join('\n'),
    );
  });

  it('says so when nothing is open', () => {
    expect(buildIncidentList([], new Date()).text).toBe('No open incidents. :white_check_mark:');
  });
});

describe('declare modal', () => {
  const input = { reporterId: 'UALICE0001', defaultSeverity: 'SEV3', originChannelId: 'CGENERAL01' } as const;
  const modal = buildDeclareModal(input);

  it('asks for title, severity, summary, service, commander (defaulting to the reporter) and privacy', () => {
    expect(modal.callback_id).toBe(CallbackId.declareModal);
    expect(modal.blocks.map((b) => b.block_id)).toEqual([
      BlockId.declareTitle,
      BlockId.declareSeverity,
      BlockId.declareSummary,
      BlockId.declareService,
      BlockId.declareCommander,
      BlockId.declarePrivate,
    ]);
    const json = JSON.stringify(modal);
    expect(json).toContain('"initial_user":"UALICE0001"');
    expect(json).toContain('"max_length":150');
    expect(json).toContain('Respond within 15 minutes');
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    expect(JSON.parse(modal.private_metadata!)).toEqual({ originChannelId: 'CGENERAL01' });
  });

  const values = (overrides: Record<string, unknown> = {}) => ({
    [BlockId.declareTitle]: { 'title-input': { type: 'plain_text_input', value: '  Checkout   down ' } },
    [BlockId.declareSeverity]: {
      'severity-select': { type: 'static_select', selected_option: { value: 'SEV1' } },
    },
    [BlockId.declareSummary]: { 'summary-input': { type: 'plain_text_input', value: null } },
    [BlockId.declareService]: { 'service-input': { type: 'plain_text_input', value: 'Checkout' } },
    [BlockId.declareCommander]: { 'commander-select': { type: 'users_select', selected_user: 'UBOB000001' } },
    [BlockId.declarePrivate]: {
      'private-toggle': { type: 'checkboxes', selected_options: [{ value: 'private' }] },
    },
    ...overrides,
  });

  it('parses a valid submission', () => {
    expect(parseDeclareForm(values(), modal.private_metadata)).toEqual({
      ok: true,
      value: {
        title: 'Checkout down',
        severity: 'SEV1',
        summary: null,
        service: 'checkout',
        commanderId: 'UBOB000001',
        isPrivate: true,
        originChannelId: 'CGENERAL01',
        alertGroupId: null,
      },
    });
  });

  it('carries the alert group a modal was opened from, and drops a forged one', () => {
    const fromAlert = buildDeclareModal({ ...input, alertGroupId: 42 });
    const parsed = parseDeclareForm(values(), fromAlert.private_metadata);
    expect(parsed.ok && parsed.value.alertGroupId).toBe(42);
    const forged = JSON.stringify({ originChannelId: 'CGENERAL01', alertGroupId: '42; DROP' });
    const dropped = parseDeclareForm(values(), forged);
    expect(dropped.ok && dropped.value.alertGroupId).toBeNull();
  });

  it('returns an error under each invalid field', () => {
    const result = parseDeclareForm(
      values({
        [BlockId.declareTitle]: { 'title-input': { type: 'plain_text_input', value: '   ' } },
        [BlockId.declareSeverity]: { 'severity-select': { type: 'static_select', selected_option: null } },
        [BlockId.declareService]: { 'service-input': { type: 'plain_text_input', value: 'check out!' } },
        [BlockId.declareCommander]: { 'commander-select': { type: 'users_select', selected_user: null } },
      }),
      modal.private_metadata,
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        [BlockId.declareTitle]: 'Give the incident a title.',
        [BlockId.declareSeverity]: 'Choose a severity.',
        [BlockId.declareService]:
          'Use the service name: letters, digits, "-", "_" or ".", like checkout-api.',
        [BlockId.declareCommander]: 'Choose who commands the incident (it can be you).',
      },
    });
  });

  it('survives tampered metadata', () => {
    const result = parseDeclareForm(values(), '{not json');
    expect(result.ok && result.value.originChannelId).toBeNull();
  });
});
