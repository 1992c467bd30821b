import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { AppError } from '../errors.js';
import type { Severity } from '../incidents/incident-types.js';
import type { LocalDate, LocalTime, RotationLength } from './duration.js';
import { buildConfig } from './oncall-config-build.js';
import { defaultMessage, describeIssue, formatProblem, inDocumentOrder } from './oncall-config-problems.js';
import { crossCheck } from './oncall-cross-check.js';
import { type OncallEnv, substituteEnv } from './oncall-env.js';
import { oncallFileSchema } from './oncall-file-schema.js';
import type { Person } from './people.js';

export { MIN_ESCALATION_MS } from './oncall-cross-check.js';

/** ISO weekday: 1 = Monday … 7 = Sunday (luxon's `weekday`). */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface Rotation {
  length: RotationLength;
  /** Local wall time of every handoff, in the schedule's zone. */
  handoff: LocalTime;
  /** Date of the first handoff, when the first participant starts. Before it the layer has nobody. */
  start: LocalDate;
}

/** A window, in the schedule's zone, that starts on one of `days`; `to` at or before `from` wraps past midnight. */
export interface Restriction {
  days: IsoWeekday[];
  from: LocalTime;
  to: LocalTime;
}

export interface ScheduleLayer {
  /** As written, or `layer N` (1-based). */
  name: string;
  rotation: Rotation;
  /** Slack user ids or emails, as written; resolving emails to ids happens elsewhere. */
  participants: string[];
  /** Empty: the layer always has someone on call (from its start). */
  restrictions: Restriction[];
}

export interface ScheduleOverride {
  user: string;
  from: Date;
  to: Date;
}

export interface Schedule {
  name: string;
  /** IANA zone of handoffs and restrictions (the schedule's own, or the top-level default). */
  timezone: string;
  /** Lowest precedence first: a later layer wins where both have someone on call. */
  layers: ScheduleLayer[];
  /** Beat every layer; a later override beats an earlier one. */
  overrides: ScheduleOverride[];
  /**
   * Where overrides taken in Slack are announced: `announce_channel`, else `channel`; without either
   * the people concerned get DMs.
   */
  announceChannel?: string | undefined;
  /** The schedule's team channel (`channel`): handoff messages are posted there. */
  channel?: string | undefined;
  /** Handle (no @) of the Slack user group whose members follow the rota. */
  slackUsergroup?: string | undefined;
  /** Kept in the user group whoever is on call: ids or emails, as written. */
  usergroupMembersAlways?: string[] | undefined;
  /** How long before a shift its person gets a DM; null: no advance DM. Absent: DEFAULT_NOTIFY_BEFORE_MS. */
  notifyBeforeMs?: number | null | undefined;
}

/** `notify_before` when a schedule names none: an hour. */
export const DEFAULT_NOTIFY_BEFORE_MS = 3_600_000;

export type NotifyTarget = { kind: 'schedule'; schedule: string } | { kind: 'user'; user: string };

export interface EscalationLevel {
  notify: NotifyTarget[];
  escalateAfterMs: number;
}

export interface EscalationPolicy {
  name: string;
  levels: EscalationLevel[];
  /** Passes through the levels after the first one (0 = each level once). */
  repeat: number;
  /** Acknowledged but unresolved for this long → pages again. */
  ackTimeoutMs: number | undefined;
}

export interface ServiceSlo {
  /** Percent, e.g. 99.9. */
  target: number;
  windowMs: number;
}

/** Prometheus counter selectors, as written (`http_requests_total{job="checkout",code=~"5.."}`). */
export interface ServiceSli {
  errors: string;
  total: string;
}

/** What a service's alerts do besides paging (`alerts:` in the file). */
export interface ServiceAlerts {
  /** A new firing alert group also declares an incident at this severity. */
  declare: Severity | undefined;
  /** Channel id where the service's alert messages are posted. */
  channel: string | undefined;
}

/** A job that checks in; missed when no check-in came for `intervalMs + graceMs`. */
export interface HeartbeatSpec {
  name: string;
  intervalMs: number;
  graceMs: number;
}

export interface Service {
  name: string;
  escalationPolicy: string;
  slo: ServiceSlo | undefined;
  sli: ServiceSli | undefined;
  runbook: string | undefined;
  /** The secret in its alert URLs and PagerDuty routing key. Never logged or printed. */
  alertKey: string | undefined;
  alerts: ServiceAlerts;
  /** By name; empty when the service has none. */
  heartbeats: Record<string, HeartbeatSpec>;
}

export interface PagingSettings {
  defaultPolicy: string;
  autoPage: Severity[];
  allowFastEscalation: boolean;
  /** A new alert joins its service's page still unacknowledged that opened within this (default 2m). */
  groupWindowMs: number;
}

export interface OncallConfig {
  /** Where it was read from (a path, or what the caller named it). */
  source: string;
  timezone: string | undefined;
  admins: string[];
  schedules: Record<string, Schedule>;
  escalationPolicies: Record<string, EscalationPolicy>;
  services: Record<string, Service>;
  paging: PagingSettings;
  /** How each person is reached (`people:`); a person not listed gets Slack DMs only. */
  people: Record<string, Person>;
}

/** An invalid `oncall.yaml`: every problem at once, each as `path: what is wrong`. */
export class OncallConfigError extends AppError {
  readonly problems: string[];
  readonly source: string;

  constructor(source: string, problems: string[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      'config_invalid',
      `Invalid on-call configuration in ${source} (${count}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'OncallConfigError';
    this.problems = problems;
    this.source = source;
  }
}

/** Reads and validates an on-call file; throws `OncallConfigError` listing every problem. */
export async function loadOncallConfig(path: string, env: OncallEnv = {}): Promise<OncallConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new OncallConfigError(path, [`(file): cannot be read: ${reason}`]);
  }
  return parseOncallConfig(text, path, env);
}

/**
 * Parses and validates the text of an on-call file, with `${VAR}` taken from `env`; throws
 * `OncallConfigError` listing every problem.
 */
export function parseOncallConfig(text: string, source = 'oncall.yaml', env: OncallEnv = {}): OncallConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true });
  if (doc.errors.length > 0) {
    throw new OncallConfigError(
      source,
      doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return `line ${line}, column ${col}: YAML syntax: ${error.message}`;
      }),
    );
  }
  let parsedYaml: unknown;
  try {
    parsedYaml = doc.toJS();
  } catch (error) {
    // yaml refuses alias bombs (an anchor expanded too many times) here rather than while parsing.
    throw new OncallConfigError(source, [`(file): ${(error as Error).message}`]);
  }
  const { value: raw, problems: envProblems } = substituteEnv(parsedYaml, env);
  if (raw === null || raw === undefined) {
    throw new OncallConfigError(source, [
      '(file): is empty; expected escalation_policies, paging and schedules',
    ]);
  }
  const parsed = oncallFileSchema.safeParse(raw, { reportInput: true, error: defaultMessage });
  const problems = [
    ...envProblems,
    ...(parsed.success ? [] : parsed.error.issues.flatMap(describeIssue)),
    ...crossCheck(raw),
  ];
  if (!parsed.success || problems.length > 0) {
    throw new OncallConfigError(source, inDocumentOrder(problems, doc).map(formatProblem));
  }
  return buildConfig(parsed.data, source);
}
