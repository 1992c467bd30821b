import { parseDuration } from '../../escalation/duration.js';
import { INCIDENT_ROLES, LIFECYCLE_STATUSES, SEVERITIES } from '../../incidents/incident-types.js';
import { alerts, maintenance } from './alert-specs.js';
import { defineCommand } from './command-spec.js';
import { oncallCover, oncallCoverCancel } from './cover-specs.js';
import { readFollowupItem } from './followup-item.js';
import { clip, oneOf, optional, refuse, switchFlag, text, valueFlag, word, words } from './grammar.js';
import { oncall, oncallCalendar, oncallCalendarReset, oncallMe } from './oncall-specs.js';
import { oncallOverrideCancel, oncallOverrides, scheduleFlag } from './override-specs.js';
import { parseSeverity, parseUserMention, slackToPlain } from './slack-words.js';
import { MAX_FREE_TEXT, MAX_TITLE_LENGTH, readLink } from './text-arguments.js';

/**
 * Every `/incident` subcommand, declared once: grammar, usage, access. The parser, `/incident help`
 * and the usage shown for bad input are derived from this list; handlers are keyed by `name`
 * (command-handlers.ts), and the compiler refuses a spec without one.
 */

export { MAX_FREE_TEXT, MAX_TITLE_LENGTH };

const MIN_OVERRIDE_MS = 60_000;
const MAX_OVERRIDE_MS = 14 * 86_400_000;
const SCHEDULE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

const notAPerson = (input: string) =>
  refuse(`I could not read "${clip(input, 30)}" as a person: pick them from Slack's @-mention list.`);

const person = () => word('@person', 'a person', (input) => parseUserMention(input) ?? notAPerson(input));

const severity = () =>
  word(SEVERITIES.join('|'), 'a severity', (input) => {
    return (
      parseSeverity(input) ??
      refuse(`\`${clip(input, 20)}\` is not a severity: use ${SEVERITIES.join(', ')}.`)
    );
  });

const freeText = (name: string, example: string) =>
  text('<text>', `Write the ${name} after the command: \`/incident ${name} ${example}\`.`, (input) => {
    const plain = slackToPlain(input);
    return plain.length > MAX_FREE_TEXT ? refuse(`Keep the ${name} to ${MAX_FREE_TEXT} characters.`) : plain;
  });

function checkTitle(raw: string | null): string | null | ReturnType<typeof refuse> {
  if (raw === null) return null;
  const title = slackToPlain(raw);
  const length = [...title].length;
  return length > MAX_TITLE_LENGTH
    ? refuse(`The title is ${length} characters long; keep it to ${MAX_TITLE_LENGTH}.`)
    : title;
}

export const help = defineCommand({
  name: 'help',
  // Clients turn a typed `--` into a dash.
  verbs: ['help', '--help', '—help', '–help', '-h', '?'],
  summary: 'this message; `/incident help <command>` for one command',
  access: 'anyone',
  scope: 'global',
  args: {
    topic: optional(
      word(
        'command',
        // Stryker disable next-line StringLiteral: an optional argument's noun is never shown (only a missing required one is named)
        'a command',
        (input) => input.toLowerCase(),
      ),
      null,
    ),
  },
});

export const list = defineCommand({
  name: 'list',
  verbs: ['list', 'ls'],
  summary: 'open incidents: number, title, severity, status, age, channel',
  access: 'anyone',
  scope: 'global',
});

export const create = defineCommand({
  name: 'create',
  verbs: ['create', 'declare', 'new', 'open'],
  summary: 'declare an incident; without a title the declare form opens',
  examples: [
    '/incident create Checkout is down',
    '/incident create --severity SEV2 --title "API Latency Spike"',
  ],
  access: 'anyone',
  scope: 'global',
  args: {
    words: optional(
      words(
        'title',
        // Stryker disable next-line StringLiteral: an optional argument's noun is never shown (only a missing required one is named)
        'a title',
      ),
      null,
    ),
  },
  flags: {
    severity: valueFlag(
      ['severity', 'sev'],
      SEVERITIES.join('|'),
      `\`--severity\` needs a value: ${SEVERITIES.join(', ')}.`,
      (value) =>
        parseSeverity(value) ??
        refuse(`\`--severity\` must be SEV1, SEV2, SEV3 or SEV4 (got "${clip(value, 20)}").`),
    ),
    title: valueFlag(
      ['title'],
      '"…"',
      '`--title` needs a value, e.g. `--title "API Latency Spike"`.',
      (value) => {
        const title = value.trim();
        return title === '' ? refuse('`--title` needs a value, e.g. `--title "API Latency Spike"`.') : title;
      },
    ),
    service: valueFlag(
      ['service'],
      '<service>',
      '`--service` needs a service name, e.g. `--service checkout`.',
      (value) =>
        SERVICE_NAME.test(value)
          ? value.toLowerCase()
          : refuse(
              `\`--service\` must be a service name of letters, digits, \`-\`, \`_\` or \`.\` (got "${clip(value, 20)}").`,
            ),
    ),
    private: switchFlag('private'),
  },
  build: (v) => {
    if (v.title !== null && v.words !== null)
      return refuse('Give the title either as text or with `--title`, not both.');
    const title = checkTitle(v.title ?? v.words);
    if (typeof title === 'object' && title !== null) return title;
    return { title, severity: v.severity, service: v.service, isPrivate: v.private };
  },
});

export const stats = defineCommand({
  name: 'stats',
  summary: 'counts by severity; time to acknowledge and resolve (p50/p90/p95); DORA tier',
  access: 'anyone',
  scope: 'global',
  args: { window: optional(oneOf(['7d', '30d', '90d'], 'window'), '30d') },
  build: ({ window }) => ({ windowDays: ({ '7d': 7, '30d': 30, '90d': 90 } as const)[window] }),
});

export const oncallOverride = defineCommand({
  name: 'oncall-override',
  verbs: ['oncall override', 'on-call override'],
  summary:
    'put yourself or another participant of the schedule on call for a while (1 minute to 14 days, e.g. `30m`, `2h`, `1 day`); admins may put anyone',
  access: 'override',
  scope: 'global',
  args: {
    userId: person(),
    durationText: words('<duration>', 'a duration', (input) => {
      const ms = parseDuration(input);
      if (ms === null)
        return refuse(`"${clip(input, 30)}" is not a duration: use e.g. \`30m\`, \`2h\`, \`1 day\`.`);
      return ms >= MIN_OVERRIDE_MS && ms <= MAX_OVERRIDE_MS
        ? input
        : refuse(`An override lasts between 1 minute and 14 days (got "${clip(input, 30)}").`);
    }),
  },
  flags: { schedule: scheduleFlag() },
  build: (v) => ({
    userId: v.userId,
    durationText: v.durationText,
    durationMs: parseDuration(v.durationText)!,
    schedule: v.schedule,
  }),
});

export const page = defineCommand({
  name: 'page',
  summary: 'page a person, or a schedule’s on-call, now',
  access: 'pager',
  scope: 'incident',
  what: () => 'page people for this incident',
  args: {
    target: word('@person|<schedule>', 'a person or a schedule', (input) => {
      const userId = parseUserMention(input);
      if (userId) return { kind: 'user' as const, userId };
      if (input.startsWith('@') || input.startsWith('<')) return notAPerson(input);
      return SCHEDULE_NAME.test(input)
        ? { kind: 'schedule' as const, schedule: input }
        : refuse(`"${clip(input, 30)}" is neither a person nor a schedule name.`);
    }),
  },
});

/** `team:` is another word for `service:`: oncall.yaml's services are the teams that can be paged. */
export const pageTeam = defineCommand({
  name: 'page-team',
  verbs: ['page service:', 'page team:'],
  summary:
    'page another team into this incident: its service’s escalation policy runs beside the incident’s own (`team:` works too)',
  examples: ['/incident page service:payments Card payments fail at checkout'],
  access: 'pager',
  scope: 'incident',
  what: () => 'page another team into this incident',
  args: {
    service: word('<service>', 'a service', (input) =>
      SERVICE_NAME.test(input) ? input : refuse(`"${clip(input, 30)}" is not a service name.`),
    ),
    reason: optional(
      words('reason', 'a reason', (input) => {
        const plain = slackToPlain(input);
        return plain.length > MAX_FREE_TEXT
          ? refuse(`Keep the reason to ${MAX_FREE_TEXT} characters.`)
          : plain;
      }),
      null,
    ),
  },
});

export const escalate = defineCommand({
  name: 'escalate',
  summary: 'page the next escalation level now (starts the policy if nothing is paging)',
  access: 'escalator',
  scope: 'incident',
  what: () => 'escalate this incident',
});

export const status = defineCommand({
  name: 'status',
  summary: 'change the status (resolved stops paging and reminders)',
  access: 'changer',
  scope: 'incident',
  args: { status: oneOf(LIFECYCLE_STATUSES, 'status') },
  what: (c) => (c.status === 'resolved' ? 'resolve this incident' : 'change the status'),
});

export const severityCommand = defineCommand({
  name: 'severity',
  verbs: ['severity', 'sev'],
  summary: 'change the severity (raising it to an auto-paged level starts paging)',
  access: 'changer',
  scope: 'incident',
  args: { severity: severity() },
  what: () => 'change the severity',
});

export const role = defineCommand({
  name: 'role',
  summary: 'assign a role',
  access: 'changer',
  scope: 'incident',
  args: { role: oneOf(INCIDENT_ROLES, 'role'), userId: person() },
  what: () => 'assign roles',
});

export const update = defineCommand({
  name: 'update',
  summary: 'a status update: posted in the channel and the announcement thread, shown on the card',
  access: 'changer',
  scope: 'incident',
  what: () => 'post updates',
  args: { text: freeText('update', 'Rolled back the deploy') },
});

export const note = defineCommand({
  name: 'note',
  summary: 'a note on the timeline',
  access: 'changer',
  scope: 'incident',
  what: () => 'add notes',
  args: { text: freeText('note', 'Rolled back the deploy') },
});

export const link = defineCommand({
  name: 'link',
  summary: 'a link for responders: bookmarked in the channel, on the timeline and in the postmortem',
  examples: ['/incident link https://grafana.example/d/checkout Checkout latency'],
  access: 'changer',
  scope: 'incident',
  what: () => 'add links',
  args: {
    link: text(
      '<url> [title]',
      'Give the link after the command: `/incident link https://grafana.example/d/checkout Checkout latency`.',
      readLink,
    ),
  },
});

export const followup = defineCommand({
  name: 'followup',
  verbs: ['followup', 'follow-up', 'action'],
  summary: 'an action item for the postmortem',
  access: 'changer',
  scope: 'incident',
  what: () => 'add follow-ups',
  args: {
    item: text(
      '<text> [@owner] [due YYYY-MM-DD]',
      'Write the action item: `/incident followup Add an alert on queue depth @owner due 2026-12-01`.',
      (input) => readFollowupItem(input, MAX_FREE_TEXT),
    ),
  },
  build: ({ item }) => item,
});

export const timeline = defineCommand({
  name: 'timeline',
  summary: 'the timeline so far, in your time zone, 25 events a page (`#12 2` or `2 #12`)',
  access: 'viewer',
  scope: 'incident',
  args: {
    page: optional(
      word(
        'page',
        // Stryker disable next-line StringLiteral: an optional argument's noun is never shown (only a missing required one is named)
        'a page number',
        (input) =>
          /^\d{1,4}$/.test(input) && Number(input) > 0
            ? Number(input)
            : refuse(`"${clip(input, 20)}" is not a page number: use \`/incident timeline [#12] [page]\`.`),
      ),
      1,
    ),
  },
});

export const show = defineCommand({
  name: 'show',
  summary: 'the incident card, for you alone',
  access: 'viewer',
  scope: 'incident',
});

export const resolve = defineCommand({
  name: 'resolve',
  summary: 'resolved: paging and reminders stop',
  access: 'changer',
  scope: 'incident',
  what: () => 'resolve this incident',
});

export const close = defineCommand({
  name: 'close',
  summary: 'close; without `--resolution` a form asks for resolution, root cause, impact and lessons',
  examples: ['/incident close --resolution "Rolled back to v1.2.3"'],
  access: 'changer',
  scope: 'incident',
  flags: {
    resolution: valueFlag(
      ['resolution'],
      '"…"',
      '`--resolution` needs a value, e.g. `--resolution "Rolled back to v1.2.3"`.',
      (value) => {
        const resolution = slackToPlain(value.trim());
        return resolution === ''
          ? refuse('`--resolution` needs a value, e.g. `--resolution "Rolled back to v1.2.3"`.')
          : resolution;
      },
    ),
  },
  what: () => 'close this incident',
});

export const reopen = defineCommand({
  name: 'reopen',
  summary: 'reopen a resolved or closed incident',
  access: 'changer',
  scope: 'incident',
  what: () => 'reopen this incident',
});

export const postmortem = defineCommand({
  name: 'postmortem',
  summary: 'regenerate the postmortem draft from the latest data',
  // Regenerating stores a draft and posts it in the channel: a change, not a look.
  access: 'changer',
  scope: 'incident',
  what: () => 'regenerate the postmortem of this incident',
});

/** In the order `/incident help` lists them. */
export const COMMAND_SPECS = [
  create,
  list,
  stats,
  oncall,
  oncallMe,
  oncallOverride,
  oncallOverrides,
  oncallOverrideCancel,
  alerts,
  maintenance,
  oncallCalendar,
  oncallCalendarReset,
  oncallCover,
  oncallCoverCancel,
  help,
  status,
  severityCommand,
  role,
  update,
  note,
  link,
  followup,
  timeline,
  show,
  page,
  pageTeam,
  escalate,
  resolve,
  close,
  reopen,
  postmortem,
] as const;
