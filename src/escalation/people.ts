import type { Severity } from '../incidents/incident-types.js';
import { formatDuration, type LocalTime, parseDuration, parseLocalTime } from './duration.js';
import type { Problem } from './oncall-config-problems.js';
import { MIN_ESCALATION_MS } from './oncall-cross-check.js';
import type { CHANNELS, OncallFile } from './oncall-file-schema.js';

/** A way to reach a person: Slack DM or one of the providers configured by environment. */
export type Channel = (typeof CHANNELS)[number];

export interface NotifyRule {
  via: Channel;
  /** From the moment the person's level paged them. */
  afterMs: number;
}

export interface QuietHours {
  from: LocalTime;
  to: LocalTime;
  /** Severities that still call and text inside the window. */
  only: Severity[];
}

/** `people.<key>` of oncall.yaml; the key is a Slack user id or an email, as in schedules. */
export interface Person {
  key: string;
  phone: string | undefined;
  pushTopic: string | undefined;
  email: string | undefined;
  /** Without rules: Slack DM only, as before people existed. */
  notify: NotifyRule[];
  quietHours: QuietHours | undefined;
}

const DEFAULT_RULES: NotifyRule[] = [{ via: 'slack', afterMs: 0 }];

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function buildPeople(file: Pick<OncallFile, 'people'>): Record<string, Person> {
  const people: Record<string, Person> = {};
  for (const [key, settings] of Object.entries(file.people)) {
    people[key] = {
      key,
      phone: settings.phone,
      pushTopic: settings.push_topic,
      email: settings.email ?? (key.includes('@') ? key : undefined),
      notify: settings.notify?.map((rule) => ({ via: rule.via, afterMs: parseDuration(rule.after)! })) ?? [
        ...DEFAULT_RULES,
      ],
      quietHours: settings.quiet_hours && {
        from: parseLocalTime(settings.quiet_hours.from)!,
        to: parseLocalTime(settings.quiet_hours.to)!,
        only: settings.quiet_hours.only,
      },
    };
  }
  return people;
}

const NEEDS: Partial<Record<Channel, { field: string; what: string }>> = {
  sms: { field: 'phone', what: 'a phone number' },
  voice: { field: 'phone', what: 'a phone number' },
  push: { field: 'push_topic', what: 'a push topic' },
  email: { field: 'email', what: 'an email address (or a key that is one)' },
};

/** Rules that cannot work from the file alone: a missing contact, or an `after` under a minute. */
export function checkPeople(raw: Record<string, unknown>, fastAllowed: boolean): Problem[] {
  if (!isMapping(raw.people)) return [];
  const problems: Problem[] = [];
  for (const [key, settings] of Object.entries(raw.people)) {
    if (!isMapping(settings) || !Array.isArray(settings.notify)) continue;
    settings.notify.forEach((rule, index) => {
      if (!isMapping(rule)) return;
      const path = ['people', key, 'notify', index];
      const need = NEEDS[rule.via as Channel];
      const hasContact =
        need && (settings[need.field] !== undefined || (need.field === 'email' && key.includes('@')));
      if (need && !hasContact) {
        problems.push({
          path: [...path, 'via'],
          message: `${rule.via} needs ${need.what}: set people.${key}.${need.field}`,
        });
      }
      const ms = typeof rule.after === 'string' ? parseDuration(rule.after) : null;
      if (!fastAllowed && ms !== null && ms > 0 && ms < MIN_ESCALATION_MS) {
        problems.push({
          path: [...path, 'after'],
          message: `${formatDuration(ms)} is under one minute; set paging.allow_fast_escalation: true to allow it (tests and the sandbox)`,
        });
      }
    });
  }
  return problems;
}

/** Which environment variables each channel needs (README, config:check). */
export const PROVIDER_VARIABLES: Record<Exclude<Channel, 'slack'>, string> = {
  email: 'SMTP_URL and EMAIL_FROM',
  sms: 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM',
  voice: 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM',
  push: 'PUSH_URL',
};

/** A rule whose provider is not configured is an error, never a silent skip. */
export function providerProblems(people: Record<string, Person>, configured: ReadonlySet<Channel>): string[] {
  const problems: string[] = [];
  for (const person of Object.values(people)) {
    person.notify.forEach((rule, index) => {
      if (rule.via === 'slack' || configured.has(rule.via)) return;
      problems.push(
        `people.${person.key}.notify[${index}].via: ${rule.via} is not configured; set ${PROVIDER_VARIABLES[rule.via]} in the environment`,
      );
    });
  }
  return problems;
}

/** The person with this phone number (an inbound SMS or call), or null. */
export function findPersonByPhone(people: Record<string, Person>, phone: string): Person | null {
  return Object.values(people).find((person) => person.phone === phone) ?? null;
}
