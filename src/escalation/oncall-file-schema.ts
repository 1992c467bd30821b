import { z } from 'zod';
import { SEVERITIES } from '../incidents/incident-types.js';
import {
  DURATION_PATTERN,
  LOCAL_DATE_PATTERN,
  LOCAL_TIME_PATTERN,
  ROTATION_LENGTH_PATTERN,
} from './duration.js';
import { isValidTimeZone, parseInstant, parseLocalDate } from './wall-time.js';

/**
 * The shape of `oncall.yaml` exactly as users write it (snake_case, human strings), with no transforms,
 * so that the same schema validates files and emits the JSON Schema editors use. What one field cannot
 * check alone (references between sections, rotation-or-layers, the one-minute floor) is checked in
 * oncall-config.ts, which also converts the result into the typed `OncallConfig`.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const NAME = '[A-Za-z0-9][A-Za-z0-9._-]*';
const SLACK_USER_ID = '[UW][A-Z0-9]{2,}';
const EMAIL = '[^\\s@:]+@[^\\s@]+\\.[^\\s@]+';
const PERSON_PATTERN = new RegExp(`^(?:${SLACK_USER_ID}|${EMAIL})$`);
export const TARGET_PATTERN = new RegExp(`^(?:schedule:${NAME}|user:(?:${SLACK_USER_ID}|${EMAIL}))$`);
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?$/;

/** A Slack user group handle as typed after @: lowercase letters, digits, `.`, `_`, `-`. */
const USERGROUP_HANDLE = /^[a-z0-9][a-z0-9._-]{0,79}$/;
const NOTIFY_BEFORE_PATTERN = new RegExp(`(?:${DURATION_PATTERN.source})|^(?:off|0)$`);

const channelId = z
  .string({ error: 'expected a Slack channel id such as C0123ABCD' })
  .regex(/^[CG][A-Z0-9]{2,}$/, 'expected a Slack channel id such as C0123ABCD');

const name = z.string().regex(new RegExp(`^${NAME}$`), 'expected a name of letters, digits, ".", "_" or "-"');

const person = z
  .string({ error: 'expected a Slack user id (U012ABCDEF) or an email' })
  .regex(PERSON_PATTERN, 'expected a Slack user id (U012ABCDEF) or an email')
  .describe('A person: Slack user id (U012ABCDEF) or email (looked up in Slack)');

const timeZone = z
  .string()
  .refine(isValidTimeZone, 'expected an IANA time zone such as Europe/London or America/New_York')
  .describe('IANA time zone, e.g. Europe/London');

const duration = z
  .string({ error: 'expected a duration such as 90s, 5m, 2h, 1 day or 1 week' })
  .regex(DURATION_PATTERN, 'expected a duration such as 90s, 5m, 2h, 1 day or 1 week');

const localTime = z
  .string({ error: 'expected HH:MM' })
  .regex(LOCAL_TIME_PATTERN, 'expected HH:MM')
  .describe('Wall-clock time HH:MM (24 h) in the schedule zone');

const localDate = z
  .string({ error: 'expected a date YYYY-MM-DD' })
  .regex(LOCAL_DATE_PATTERN, 'expected a date YYYY-MM-DD')
  .refine((text) => parseLocalDate(text) !== null, 'not a calendar date')
  .describe('Date YYYY-MM-DD in the schedule zone');

const instant = z
  .string({ error: 'expected a date-time such as 2026-11-21T09:00:00Z' })
  .regex(INSTANT_PATTERN, 'expected a date-time such as 2026-11-21T09:00:00Z')
  .refine((text) => parseInstant(text, 'UTC') !== null, 'not a valid date-time')
  .describe(
    'ISO date-time; with Z or an offset it is an instant, without one it is wall time in the schedule zone',
  );

const rotation = z
  .strictObject({
    length: z
      .string({ error: 'expected daily, weekly, or n hours/days/weeks' })
      .regex(ROTATION_LENGTH_PATTERN, 'expected daily, weekly, or n hours/days/weeks')
      .describe('daily, weekly, or "n hours" / "n days" / "n weeks" (days and weeks keep local wall time)'),
    handoff: localTime.describe('Local time at which the next person takes over'),
    start: localDate.describe('Date of the first handoff; the first participant starts then'),
  })
  .describe('How the participants take turns');

const restriction = z
  .strictObject({
    days: z
      .array(z.enum(WEEKDAYS, { error: `expected one of ${WEEKDAYS.join(', ')}` }))
      .min(1, 'expected at least one day')
      .optional()
      .describe('Days the window starts on (default: every day)'),
    from: localTime.describe('Window start, local time'),
    to: localTime.describe(
      'Window end, local time; at or before `from` the window runs past midnight into the next day',
    ),
  })
  .describe('A window in which this rotation has someone on call');

const participants = z
  .array(person)
  .min(1, 'expected at least one participant')
  .describe('People in turn order');

const restrictions = z
  .array(restriction)
  .min(1, 'expected at least one restriction (or leave restrictions out)')
  .describe('Windows when someone is on call; outside them this rotation has nobody (default: always)');

const layer = z
  .strictObject({
    name: z.string().min(1).optional().describe('Label shown in /incident oncall (default: "layer N")'),
    rotation,
    participants,
    restrictions: restrictions.optional(),
  })
  .describe('One rotation; a later layer wins over an earlier one wherever both have someone on call');

const override = z
  .strictObject({
    user: person,
    from: instant,
    to: instant,
  })
  .describe(
    'Takes the pager for a time; overrides beat every layer, and a later override beats an earlier one',
  );

const schedule = z
  .strictObject({
    timezone: timeZone
      .optional()
      .describe('IANA zone of handoffs and restrictions (default: top-level timezone)'),
    rotation: rotation.optional(),
    participants: participants.optional(),
    restrictions: restrictions.optional(),
    layers: z.array(layer).min(1, 'expected at least one layer').optional(),
    overrides: z.array(override).default([]),
    channel: channelId
      .optional()
      .describe(
        "The schedule's team channel (an id): handoff messages, and override announcements unless announce_channel names another",
      ),
    announce_channel: channelId
      .optional()
      .describe(
        'Channel id where overrides taken in Slack are announced (default: `channel`, else DMs to the people concerned)',
      ),
    slack_usergroup: z
      .string({ error: 'expected a user group handle such as checkout-oncall' })
      .regex(USERGROUP_HANDLE, 'expected a user group handle such as checkout-oncall (lowercase, no @)')
      .optional()
      .describe(
        'Handle of a Slack user group (without @) whose members become whoever is on call, at every handoff',
      ),
    usergroup_members_always: z
      .array(person)
      .optional()
      .describe('People kept in slack_usergroup whoever is on call (a manager, a shared account)'),
    notify_before: z
      .string({ error: 'expected a duration such as 1h or 30m, or off' })
      .regex(NOTIFY_BEFORE_PATTERN, 'expected a duration such as 1h or 30m, or off')
      .default('1h')
      .describe(
        'How long before a shift starts its person gets a DM (default 1h); off: only the DM at the start',
      ),
  })
  .describe('Who is on call: one rotation (rotation + participants), or several layers')
  .meta({
    oneOf: [
      { required: ['rotation', 'participants'], not: { required: ['layers'] } },
      {
        required: ['layers'],
        not: {
          anyOf: [{ required: ['rotation'] }, { required: ['participants'] }, { required: ['restrictions'] }],
        },
      },
    ],
  });

const level = z
  .strictObject({
    notify: z
      .array(
        z
          .string({ error: 'expected schedule:NAME or user:ID_OR_EMAIL' })
          .regex(TARGET_PATTERN, 'expected schedule:NAME or user:ID_OR_EMAIL'),
      )
      .min(1, 'expected at least one target')
      .describe(
        'Everyone paged at once at this level: schedule:NAME (whoever is on call) or user:ID_OR_EMAIL',
      ),
    escalate_after: duration.describe('Wait this long for an acknowledgement before paging the next level'),
  })
  .describe('One escalation level');

const escalationPolicy = z.strictObject({
  levels: z.array(level).min(1, 'expected at least one level').describe('Paged in order'),
  repeat: z
    .int({ error: 'expected a whole number from 0 to 9' })
    .min(0, 'expected a whole number from 0 to 9')
    .max(9, 'expected a whole number from 0 to 9')
    .default(0)
    .describe('Passes through the levels again after the first (0 = page each level once)'),
  ack_timeout: duration
    .optional()
    .describe('Acknowledged but unresolved for this long → the incident pages again from level 1'),
});

// A Prometheus instant-vector selector of a counter: a metric name, then optionally `{label op "value", …}`.
const QUOTED = String.raw`(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')`;
const LABEL_MATCHER = String.raw`\s*[A-Za-z_][A-Za-z0-9_]*\s*(?:=~|!~|!=|=)\s*${QUOTED}\s*`;
export const SELECTOR_PATTERN = new RegExp(
  String.raw`^[A-Za-z_:][A-Za-z0-9_:]*(?:\{(?:${LABEL_MATCHER}(?:,${LABEL_MATCHER})*,?\s*)?\})?$`,
);
const SELECTOR_EXAMPLE = 'http_requests_total{job="checkout",code=~"5.."}';

const counterSelector = z
  .string({ error: `expected a counter selector such as ${SELECTOR_EXAMPLE}` })
  .regex(
    SELECTOR_PATTERN,
    `expected a metric name with an optional {label="value", …} matcher, such as ${SELECTOR_EXAMPLE}`,
  );

/** Where a service's alerts are posted, and whether they also declare an incident. */
const serviceAlerts = z
  .strictObject({
    declare: z
      .enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join(', ')}` })
      .optional()
      .describe('A new firing alert group also declares an incident at this severity'),
    channel: z
      .string({ error: 'expected a Slack channel id such as C0123ABCD' })
      .regex(/^[CG][A-Z0-9]{2,}$/, 'expected a Slack channel id such as C0123ABCD')
      .optional()
      .describe("Channel id where this service's alert messages are posted"),
  })
  .describe('What alerts for this service do besides paging');

const heartbeat = z
  .strictObject({
    interval: duration.describe('How often the job checks in, e.g. 24h'),
    grace: duration.describe('How late a check-in may be before the heartbeat counts as missed, e.g. 30m'),
  })
  .describe('A job that checks in at /alerts/heartbeat/<alert_key>/<name>; armed by its first check-in');

/** At least 32 characters: the key in the alert URLs is the only thing that authenticates a sender. */
export const MIN_ALERT_KEY_LENGTH = 32;

const service = z.strictObject({
  escalation_policy: name.describe('Name of an escalation policy'),
  alert_key: z
    .string({ error: `expected text: a random secret of at least 32 characters, usually \${VAR}` })
    .min(
      MIN_ALERT_KEY_LENGTH,
      `expected at least 32 characters (a random secret, e.g. from openssl rand -hex 24), usually \${VAR}`,
    )
    .optional()
    .describe(
      `Secret in the alert URLs (/alerts/alertmanager/<alert_key>, PagerDuty routing_key): at least 32 characters, unique per service; write \${VAR} to take it from the environment`,
    ),
  alerts: serviceAlerts.optional(),
  heartbeats: z
    .record(name, heartbeat)
    .optional()
    .describe('Jobs that check in; a missed interval + grace raises an alert (needs alert_key)'),
  slo: z
    .strictObject({
      target: z
        .number({ error: 'expected a percentage such as 99.9' })
        .gt(0, 'expected a percentage above 0 and below 100')
        .lt(100, 'expected a percentage above 0 and below 100')
        .describe('Target in percent, e.g. 99.9'),
      window: duration.describe('Rolling window, e.g. 30d'),
    })
    .optional()
    .describe('Service level objective, used for the error budget in postmortems'),
  sli: z
    .strictObject({
      errors: counterSelector.describe('Counter of failed requests (a Prometheus selector)'),
      total: counterSelector.describe('Counter of all requests (a Prometheus selector)'),
    })
    .optional()
    .describe('Service level indicator: with `slo`, `npm run slo:rules` writes burn-rate alerts from it'),
  runbook: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .optional()
    .describe('Link to the runbook for this service'),
});

const paging = z.strictObject({
  default_policy: name.describe('Policy for incidents with no service (or a service not listed here)'),
  auto_page: z
    .array(z.enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join(', ')}` }))
    .default(['SEV1', 'SEV2'])
    .describe('Severities that page as soon as an incident is declared'),
  group_window: duration
    .default('2m')
    .describe(
      'A new alert joins a page of its service still unacknowledged that opened this recently, instead of paging again',
    ),
  allow_fast_escalation: z
    .boolean({ error: 'expected true or false' })
    .default(false)
    .describe('Allow escalation timings under one minute (tests and the sandbox only)'),
});

export const CHANNELS = ['slack', 'push', 'sms', 'voice', 'email'] as const;

const notifyRule = z
  .strictObject({
    via: z
      .enum(CHANNELS, { error: `expected one of ${CHANNELS.join(', ')}` })
      .describe('How to reach the person'),
    after: duration
      .default('0m')
      .describe(
        "Wait this long after the person's level paged them (under a minute only with allow_fast_escalation)",
      ),
  })
  .describe('One way to reach the person, tried while the page is unacknowledged');

const personSettings = z
  .strictObject({
    phone: z
      .string({ error: 'expected a phone number in E.164 form such as "+15551230001" (quoted)' })
      .regex(/^\+[1-9]\d{6,14}$/, 'expected a phone number in E.164 form such as "+15551230001" (quoted)')
      .optional()
      .describe('For via: sms and via: voice, in E.164 form'),
    push_topic: z
      .string({ error: 'expected a topic name of letters, digits, "_" or "-"' })
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a topic name of letters, digits, "_" or "-"')
      .optional()
      .describe('For via: push: POST <PUSH_URL>/<push_topic>'),
    email: z
      .string({ error: 'expected an email address' })
      .regex(new RegExp(`^${EMAIL}$`), 'expected an email address')
      .optional()
      .describe("For via: email (default: the person's key when it is an email)"),
    notify: z.array(notifyRule).min(1, 'expected at least one rule').optional().describe('Tried in order'),
    quiet_hours: z
      .strictObject({
        from: localTime.describe('Start, local time'),
        to: localTime.describe('End, local time; at or before `from` it runs past midnight'),
        only: z
          .array(z.enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join(', ')}` }))
          .default([])
          .describe('Severities that still call and text during quiet hours'),
      })
      .optional()
      .describe(
        'Inside this window (top-level timezone) sms and voice are skipped unless the severity is listed',
      ),
  })
  .describe('How to reach one person (keyed by Slack user id or email)');

export const oncallFileSchema = z
  .strictObject({
    timezone: timeZone.optional().describe('Default IANA zone for schedules that name none'),
    admins: z.array(person).default([]).describe('People who may change any incident'),
    schedules: z.record(name, schedule).default({}),
    escalation_policies: z.record(name, escalationPolicy),
    services: z.record(name, service).default({}),
    paging,
    people: z
      .record(person, personSettings)
      .default({})
      .describe('How each person is reached; without an entry, by Slack DM only'),
  })
  .describe('incident-bot on-call configuration (oncall.yaml)');

/** A file that passed the schema, defaults filled in, still in the user's terms. */
export type OncallFile = z.output<typeof oncallFileSchema>;
