import { blockLimitProblems } from '@incident-bot/local-slack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardAlertOf } from '../../../src/alerts/alert-card.js';
import type { Incident } from '../../../src/incidents/incident-types.js';
import { declaredMessage } from '../../../src/slack/commands/general-commands.js';
import { slackToPlain } from '../../../src/slack/commands/slack-words.js';
import { buildAppHome } from '../../../src/slack/views/app-home.js';
import { buildDeclareModal } from '../../../src/slack/views/declare-modal.js';
import { buildIncidentAnnouncement } from '../../../src/slack/views/incident-announcement.js';
import { buildIncidentHeadline, headlineFallbackText } from '../../../src/slack/views/incident-headline.js';
import { buildIncidentList } from '../../../src/slack/views/incident-list.js';
import {
  buildCloseModal,
  buildRoleModal,
  buildSeverityModal,
  buildStatusModal,
  buildUpdateModal,
} from '../../../src/slack/views/lifecycle-modals.js';
import { buildPageAcknowledgedMessage, buildPageMessage } from '../../../src/slack/views/page-message.js';
import { buildTimelineMessage } from '../../../src/slack/views/timeline-view.js';
import { buildUpdatePost } from '../../../src/slack/views/update-post.js';
import type { TimelineEvent, TimelineEventInput } from '../../../src/timeline/timeline-events.js';

/**
 * Whatever people type (mentions, `<!channel>`, disguised links, entities, long pastes, emoji, RTL),
 * every view shows it as text: no broadcast, no link, no mention except for the user ids the views
 * were given as ids, and every message within Slack's limits (the local Slack's own validator).
 */

const IDS = { reporter: 'UALICE0001', commander: 'UBOB000001', paged: 'UCAROL0001' };
const CHANNEL = 'CINC000012';
const RUNBOOK = 'https://wiki.example/runbooks/checkout';
/** An alert's link (a source's text as its label). */
const ALERT_LINK = 'https://prometheus.example/graph';

const hostile = fc.constantFrom(
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S012AB|@sre>',
  '<!here|here>',
  '<https://evil.example|sso.acme.com>',
  '<https://evil.example>',
  '<mailto:a@evil.example|support>',
  '<@U0EVIL0001>',
  '<@U0EVIL0001|admin>',
  '<#C0EVIL0001|general>',
  '&lt;!here&gt;',
  '&lt;!channel&gt;',
  '&lt;https://evil.example|bank&gt;',
  '&amp;lt;!everyone&amp;gt;',
  '&',
  '<',
  '>',
  '&amp;',
  '🔥',
  '👩🏽‍💻',
  '\u202etxt.exe',
  'مرحبا بالعالم',
  'שלום',
  '*bold* _it_ `code`',
  '\n',
  ' ',
);
const fragment = fc.oneof(
  { weight: 3, arbitrary: hostile },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);
const typed = fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join(''));
/** A long paste: up to 3,000 characters, the most the bot accepts for free text. */
const paste = fc
  .tuple(typed, fc.integer({ min: 0, max: 3000 }), fc.constantFrom('&', '<', 'x', '🔥', '<!here>'))
  .map(([head, n, unit]) => (head + unit.repeat(n)).slice(0, 3000));
/** Text as a modal sends it (raw), or as a slash command does (Slack's escaped form, read by the parser). */
const userText = fc.oneof(typed, paste, typed.map(slackToPlain), paste.map(slackToPlain));
const title = userText.map((t) => [...t].slice(0, 150).join('') || 'x');

const incidentArb = fc.record({
  title,
  summary: fc.option(userText, { nil: null }),
  lastUpdateText: fc.option(userText, { nil: null }),
  service: fc.option(
    typed.map((t) => t.slice(0, 63) || 'svc'),
    { nil: null },
  ),
  channelName: typed.map((t) => t.slice(0, 80) || 'inc-1'),
  isPrivate: fc.boolean(),
  status: fc.constantFrom<Incident['status']>(
    'investigating',
    'identified',
    'monitoring',
    'resolved',
    'closed',
  ),
  channelId: fc.constantFrom(CHANNEL, null),
});

type Fields = Pick<
  Incident,
  'title' | 'summary' | 'lastUpdateText' | 'service' | 'channelName' | 'isPrivate' | 'status' | 'channelId'
>;

function incidentOf(fields: Fields, number = 12): Incident {
  const at = new Date('2026-11-21T14:05:00Z');
  return {
    id: number + 29,
    number,
    severity: 'SEV2',
    originChannelId: 'CGENERAL01',
    reporterId: IDS.reporter,
    commanderId: IDS.commander,
    commsId: null,
    scribeId: null,
    declaredAt: at,
    resolvedAt: null,
    closedAt: null,
    updatedAt: at,
    lastUpdateAt: fields.lastUpdateText === null ? null : at,
    version: 0,
    reminderDueAt: null,
    reminderEpoch: 0,
    runbookUrl: RUNBOOK,
    ...fields,
  };
}

const MENTION_IDS = Object.values(IDS).join('|');
/** The only markup a view may contain: its own mentions, channel links, dates and the runbook link. */
const ALLOWED_TOKEN = new RegExp(
  `^<(?:@(?:${MENTION_IDS})|#${CHANNEL}|!date\\^\\d+\\^[^|>]*\\|[^<>]*|${RUNBOOK.replace(/[./]/g, '\\$&')}\\|Open the runbook|${ALERT_LINK.replace(/[./]/g, '\\$&')}\\|[^<>|]*)>$`,
);

/** Every mrkdwn text (and the fallback text) in a message or view. */
function mrkdwnTexts(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) mrkdwnTexts(v, out);
  else if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
    for (const [k, v] of Object.entries(o)) if (k !== 'text' || typeof v !== 'string') mrkdwnTexts(v, out);
  }
  return out;
}

function expectSafe(surface: { text?: string; blocks: unknown[] }, maxBlocks = 50): void {
  const texts = [...mrkdwnTexts(surface.blocks), ...(surface.text === undefined ? [] : [surface.text])];
  for (const text of texts) {
    for (const token of text.match(/<[^>]*>?/g) ?? []) expect(token).toMatch(ALLOWED_TOKEN);
    // An entity is whole: `&` only ever starts `&amp;`, `&lt;` or `&gt;`.
    expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
  }
  expect(blockLimitProblems(surface.blocks, maxBlocks)).toEqual([]);
}

function eventsFrom(texts: string[], slackText: string): TimelineEvent[] {
  const [a = '', b = '', c = '', d = ''] = texts;
  const inputs: TimelineEventInput[] = [
    {
      kind: 'incident.declared',
      details: { title: a, severity: 'SEV2', isPrivate: false, service: null, commanderId: null, summary: b },
    },
    { kind: 'incident.update_posted', details: { text: b } },
    { kind: 'incident.note_added', details: { text: c } },
    { kind: 'incident.followup_added', details: { text: d, ownerId: IDS.paged, dueDate: null } },
    { kind: 'incident.link_added', details: { url: 'https://grafana.example/d/x', title: a } },
    { kind: 'incident.closed', details: { resolution: c } },
    {
      kind: 'timeline.message_added',
      details: {
        channelId: CHANNEL,
        ts: '1.2',
        authorId: IDS.paged,
        text: slackText,
        permalink: null,
        via: 'pin',
      },
    },
    { kind: 'escalation.page_failed', details: { target: d, error: a } },
    { kind: 'alert.linked', details: { groupId: 3, title: a, service: b, source: c } },
    { kind: 'alert.triggered', details: { alertId: 5, title: b, service: c, count: 4 } },
    { kind: 'alert.resolved', details: { alertId: 5, title: d } },
  ] as TimelineEventInput[];
  return inputs.map((input, i) => ({
    ...input,
    id: i + 1,
    incidentId: 41,
    occurredAt: new Date(Date.UTC(2026, 10, 21, 14, i)),
    recordedAt: new Date(Date.UTC(2026, 10, 21, 14, i)),
    actorId: IDS.commander,
  }));
}

describe('user text in every view (property)', () => {
  it('never broadcasts, links or mentions from typed text, and stays within Slack’s limits', () => {
    fc.assert(
      fc.property(incidentArb, fc.array(userText, { minLength: 4, maxLength: 4 }), (fields, texts) => {
        const incident = incidentOf(fields);
        const paging = { state: 'acknowledged' as const, epoch: 3, acknowledgedBy: IDS.paged };
        expectSafe(
          buildIncidentHeadline(incident, paging, { timeToAcknowledgeMs: 1, timeToResolveMs: null }),
        );
        expectSafe({ text: headlineFallbackText(incident), blocks: [] });
        // An incident declared from an alert: the source's texts, and links good and bad.
        const at = incident.declaredAt;
        const alert = cardAlertOf([
          {
            groupId: 3,
            title: texts[0]!,
            service: texts[1]!.slice(0, 63) || 'svc',
            source: 'alertmanager',
            severity: 'SEV3',
            status: 'firing',
            count: 4,
            firstSeenAt: at,
            lastSeenAt: at,
            links: [
              { text: texts[2]!, href: ALERT_LINK },
              { text: 'Runbook', href: 'https://evil.example|sso.acme.com' },
              { text: texts[3]!, href: 'javascript:alert(1)' },
            ],
          },
        ]);
        expectSafe(buildIncidentHeadline({ ...incident, reporterId: 'Alertmanager' }, paging, null, alert));
        expectSafe(buildIncidentAnnouncement(incident));
        expectSafe(buildPageMessage(incident, { level: 1, pass: 2, via: `schedule:${texts[0]}`, epoch: 3 }));
        expectSafe(buildPageAcknowledgedMessage(incident, IDS.paged, incident.declaredAt));
        expectSafe({ text: declaredMessage(incident, true), blocks: [] });
        expectSafe({ ...buildUpdatePost(incident, texts[1]!, IDS.commander), blocks: [] });
        for (const modal of [
          buildUpdateModal,
          buildStatusModal,
          buildSeverityModal,
          buildRoleModal,
          buildCloseModal,
        ])
          expectSafe(modal(incident), 100);
        expectSafe(
          buildDeclareModal({
            reporterId: IDS.reporter,
            defaultSeverity: 'SEV3',
            originChannelId: null,
            prefill: { title: incident.title },
          }),
          100,
        );
        expectSafe(buildTimelineMessage(incident, eventsFrom(texts, texts[2]!), 1));
      }),
      { numRuns: 150 },
    );
  });

  it('keeps long lists of hostile titles within Slack’s limits (list and App Home)', () => {
    fc.assert(
      fc.property(fc.array(incidentArb, { minLength: 0, maxLength: 60 }), typed, (all, schedule) => {
        const incidents = all.map((fields, i) => incidentOf(fields, i + 1));
        const now = new Date('2026-11-21T16:00:00Z');
        expectSafe(buildIncidentList(incidents, now));
        const home = buildAppHome({
          viewerId: IDS.commander,
          incidents,
          waiting: incidents.slice(0, 12),
          onCall: [
            { schedule, user: IDS.paged },
            { schedule: 'primary', user: null },
          ],
          now,
        });
        expectSafe(home, 100);
      }),
      { numRuns: 40 },
    );
  });

  it('shows what was typed: a title with `&` reads `&`, and typed markup reads as typed', () => {
    const incident = incidentOf({
      title: slackToPlain('Checkout &amp; payments &lt;!channel&gt; <!here>'),
      summary: null,
      lastUpdateText: null,
      service: null,
      channelName: 'inc-12',
      isPrivate: false,
      status: 'investigating',
      channelId: CHANNEL,
    });
    expect(incident.title).toBe('Checkout & payments <!channel> @here');
    const announcement = buildIncidentAnnouncement(incident);
    expect(announcement.text).toContain('Checkout &amp; payments &lt;!channel&gt; @here');
    const header = buildIncidentHeadline(incident).blocks[0] as { text: { text: string } };
    expect(header.text.text).toBe('Incident #12: Checkout & payments <!channel> @here');
  });
});
