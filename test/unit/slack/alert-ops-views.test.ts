import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OpenAlert } from '../../../src/alerts/alert-queries.js';
import type { MaintenanceWindow } from '../../../src/alerts/maintenance-repo.js';
import {
  buildMaintenanceAnnouncement,
  buildMaintenanceList,
  buildOpenAlertList,
  maintenanceEnded,
  maintenanceStarted,
} from '../../../src/slack/views/alert-ops-messages.js';

const now = new Date('2026-12-02T12:00:00Z');
const date = (iso: string) => {
  const d = new Date(iso);
  return `<!date^${d.getTime() / 1000}^{date_short_pretty} at {time}|${iso.slice(0, 16).replace('T', ' ')} UTC>`;
};

const window = (fields: Partial<MaintenanceWindow> = {}): MaintenanceWindow => ({
  id: 3,
  service: 'checkout',
  startsAt: new Date('2026-12-02T11:00:00Z'),
  endsAt: new Date('2026-12-02T13:00:00Z'),
  reason: 'DB upgrade',
  createdBy: 'U0BOB0001',
  endedAt: null,
  endedBy: null,
  ...fields,
});

const alert = (fields: Partial<OpenAlert> = {}): OpenAlert => ({
  id: 1,
  service: 'checkout',
  title: 'Error rate above 5%',
  severity: 'SEV1',
  count: 1,
  firstSeenAt: new Date('2026-12-02T11:30:00Z'),
  status: 'firing',
  acknowledgedBy: null,
  held: false,
  ...fields,
});

const announcement = {
  event: 'started' as const,
  windowId: 3,
  service: 'checkout',
  endsAt: new Date('2026-12-02T13:00:00Z'),
  reason: 'DB upgrade',
  actor: 'U0BOB0001',
  createdBy: 'U0BOB0001',
  channel: 'C0ALERTS1',
  paged: 0,
};

describe('maintenance messages', () => {
  it('announce a start, a moved end and an end (by someone, or when time ran out)', () => {
    const until = date('2026-12-02T13:00:00Z');
    expect(buildMaintenanceAnnouncement(announcement).text).toBe(
      `:construction: <@U0BOB0001> started maintenance of *checkout* until ${until} (DB upgrade): its alerts are recorded without paging. End it early with \`/incident maintenance checkout off\`.`,
    );
    expect(buildMaintenanceAnnouncement({ ...announcement, event: 'extended', reason: null }).text).toBe(
      `:construction: <@U0BOB0001> extended maintenance of *checkout* until ${until}: its alerts are recorded without paging. End it early with \`/incident maintenance checkout off\`.`,
    );
    expect(
      buildMaintenanceAnnouncement({ ...announcement, event: 'ended', actor: 'U0CAROL01', paged: 2 }).text,
    ).toBe(
      ':white_check_mark: Maintenance of *checkout* ended by <@U0CAROL01>: its alerts page again. 2 alert groups opened during it are still firing and paging now.',
    );
    expect(buildMaintenanceAnnouncement({ ...announcement, event: 'ended', actor: null }).text).toBe(
      ':white_check_mark: Maintenance of *checkout* is over: its alerts page again. No alert from the window is still firing.',
    );
  });

  it('answer whoever started, moved or ended a window', () => {
    const until = date('2026-12-02T13:00:00Z');
    expect(maintenanceStarted(window(), false)).toBe(
      `:construction: Started maintenance of *checkout* until ${until}: its alerts are recorded without paging until then. End it early with \`/incident maintenance checkout off\`.`,
    );
    expect(maintenanceStarted(window(), true)).toMatch(
      /^:construction: Maintenance of \*checkout\* now runs until /,
    );
    expect(maintenanceEnded(window(), 1)).toBe(
      ':white_check_mark: Ended maintenance of *checkout*: its alerts page again. 1 alert group opened during it is still firing and paging now.',
    );
  });

  it('list the windows in force with who started them and why', () => {
    expect(buildMaintenanceList([]).text).toBe('No service is in maintenance.');
    expect(
      buildMaintenanceList([window(), window({ service: 'billing', reason: null, createdBy: 'U0CAROL01' })])
        .text,
    ).toBe(
      [
        '*In maintenance* (alerts recorded without paging)',
        `• *checkout* until ${date('2026-12-02T13:00:00Z')}, started by <@U0BOB0001> (DB upgrade)`,
        `• *billing* until ${date('2026-12-02T13:00:00Z')}, started by <@U0CAROL01>`,
      ].join('\n'),
    );
  });
});

describe('/incident alerts', () => {
  it('lists open alerts per service: severity, title, count, since when, state and who acknowledged', () => {
    const list = buildOpenAlertList(
      {
        total: 4,
        alerts: [
          alert({ count: 3 }),
          alert({ id: 2, title: 'Queue full', severity: 'SEV3', held: true }),
          alert({
            id: 3,
            service: 'search',
            title: 'Latency',
            status: 'acknowledged',
            acknowledgedBy: 'U0BOB0001',
          }),
          alert({
            id: 4,
            service: 'search',
            title: 'Disk',
            status: 'acknowledged',
            acknowledgedBy: 'PagerDuty Events API',
          }),
        ],
      },
      now,
    );
    const since = date('2026-12-02T11:30:00Z');
    expect(list.text).toBe(
      [
        '*Open alerts* (4)',
        '*checkout*',
        `• SEV1 Error rate above 5% ×3, since ${since} (30m), firing`,
        `• SEV3 Queue full, since ${since} (30m), firing, held by maintenance`,
        '*search*',
        `• SEV1 Latency, since ${since} (30m), acknowledged by <@U0BOB0001>`,
        `• SEV1 Disk, since ${since} (30m), acknowledged by PagerDuty Events API`,
      ].join('\n'),
    );
  });

  it('says when there is none, and how many more there are beyond the first 50', () => {
    expect(buildOpenAlertList({ alerts: [], total: 0 }, now).text).toBe('No open alerts.');
    const many = Array.from({ length: 60 }, (_, i) => alert({ id: i + 1 }));
    const text = buildOpenAlertList({ alerts: many, total: 230 }, now).text;
    expect(text.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(50);
    expect(text.endsWith('…and 180 more.')).toBe(true);
  });

  it('shows typed text as text: no broadcast, link or mention from a title, reason or source name', () => {
    const hostile = fc.constantFrom(
      '<!channel>',
      '<!here>',
      '<@U0EVIL0001>',
      '<https://evil.example|sso>',
      '&',
      '<',
      '>',
      '*b*',
    );
    const text = fc
      .array(fc.oneof(hostile, fc.string({ maxLength: 10 })), { maxLength: 12 })
      .map((p) => p.join(''));
    fc.assert(
      fc.property(text, text, text, (title, reason, source) => {
        const outputs = [
          buildOpenAlertList(
            {
              total: 2,
              alerts: [alert({ title }), alert({ status: 'acknowledged', acknowledgedBy: source || 'x' })],
            },
            now,
          ).text,
          buildMaintenanceList([window({ reason })]).text,
          buildMaintenanceAnnouncement({ ...announcement, reason }).text,
        ];
        for (const output of outputs) {
          for (const token of output.match(/<[^>]*>?/g) ?? [])
            expect(token).toMatch(/^<(?:@U0BOB0001|!date\^\d+\^[^|>]*\|[^<>]*)>$/);
          expect(output).not.toMatch(/&(?!amp;|lt;|gt;)/);
        }
      }),
    );
  });
});
