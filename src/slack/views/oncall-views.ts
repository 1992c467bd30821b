import type { KnownBlock } from '@slack/types';
import type { OnCallShift } from '../../escalation/schedule.js';
import { mrkdwn } from './escape.js';
import { slackDate } from './format.js';
import type { SlackMessage } from './incident-headline.js';
import { section, sectionsOf } from './incident-list.js';
import { personMention } from './override-messages.js';

/** One schedule in `/incident oncall`: who is on call at the moment asked about, and who comes next. */
export interface OncallRow {
  schedule: string;
  /** The schedule's Slack user group handle (`slack_usergroup`), when it has one. */
  usergroup: string | null;
  current: OnCallShift | null;
  next: OnCallShift | null;
}

/** The moment asked about with `--at`, as the asker typed it and the zone it was read in. */
export interface AskedMoment {
  instant: Date;
  typed: string;
  zone: string;
}

/** `/incident oncall [--schedule …] [--at …]`: times render in each viewer's own zone. */
export function buildOncallMessage(rows: OncallRow[], asked: AskedMoment | null): SlackMessage {
  if (rows.length === 0) {
    const text = 'No schedules are configured in `oncall.yaml`.';
    return { text, blocks: [section(text)] };
  }
  const header = asked
    ? `*On call on ${slackDate(asked.instant)}* (${mrkdwn(asked.typed)} ${mrkdwn(asked.zone)})`
    : '*On call*';
  const lines = rows.map((row) => {
    const handle = row.usergroup ? ` (\`@${mrkdwn(row.usergroup)}\`)` : '';
    const current = row.current
      ? `${personMention(row.current.user)} ${asked ? `from ${slackDate(row.current.start)} ` : ''}until ${slackDate(row.current.end)}`
      : '_nobody_';
    const next = row.next
      ? `${personMention(row.next.user)} from ${slackDate(row.next.start)}`
      : '_nobody scheduled_';
    return `*${mrkdwn(row.schedule)}*${handle} — ${asked ? 'then' : 'now'}: ${current} · next: ${next}`;
  });
  return { text: [header, ...lines].join('\n'), blocks: [section(header), ...sectionsOf(lines)] };
}

export interface CalendarLinksView {
  personal: string;
  schedules: { schedule: string; url: string }[];
}

/** The DM of `/incident oncall calendar`: the person's links, with how to subscribe and how to revoke. */
export function buildCalendarLinksMessage(links: CalendarLinksView): SlackMessage {
  const intro =
    ':calendar: *Your on-call calendar links.* Subscribe to one in your calendar app (Google Calendar: _Other calendars → From URL_; Outlook: _Add calendar → Subscribe from web_; Apple Calendar: _File → New Calendar Subscription_); it follows the schedules and their overrides, a year ahead.';
  const personal = `*Your shifts on every schedule:*\n<${links.personal}>`;
  const perSchedule = links.schedules.map(({ schedule, url }) => `• *${mrkdwn(schedule)}*: <${url}>`);
  const footer =
    'Anyone who has a link can read that calendar: keep them to yourself. `/incident oncall calendar reset` revokes every link you were given.';
  const blocks: KnownBlock[] = [
    section(intro),
    section(personal),
    ...(perSchedule.length
      ? [section('*One schedule each (everyone’s shifts):*'), ...sectionsOf(perSchedule)]
      : []),
    { type: 'context', elements: [{ type: 'mrkdwn', text: footer }] },
  ];
  return {
    text: [intro, personal, ...perSchedule, footer].join('\n'),
    blocks,
  };
}
