import { readFile } from 'node:fs/promises';
import { type Document, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Severity } from '../incidents/incident-types.js';
import {
  formatDuration,
  type LocalDate,
  type LocalTime,
  parseDuration,
  parseLocalTime,
  parseRotationLength,
  type RotationLength,
} from './duration.js';
import { type OncallFile, oncallFileSchema, WEEKDAYS } from './oncall-file-schema.js';
import { isValidTimeZone, parseInstant, parseLocalDate } from './wall-time.js';

/** The shortest escalation timing allowed unless `paging.allow_fast_escalation: true`. */
export const MIN_ESCALATION_MS = 60_000;

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
}

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

export interface Service {
  name: string;
  escalationPolicy: string;
  slo: ServiceSlo | undefined;
  runbook: string | undefined;
}

export interface PagingSettings {
  defaultPolicy: string;
  autoPage: Severity[];
  allowFastEscalation: boolean;
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
export async function loadOncallConfig(path: string): Promise<OncallConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new OncallConfigError(path, [`(file): cannot be read: ${reason}`]);
  }
  return parseOncallConfig(text, path);
}

/** Parses and validates the text of an on-call file; throws `OncallConfigError` listing every problem. */
export function parseOncallConfig(text: string, source = 'oncall.yaml'): OncallConfig {
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
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (error) {
    // yaml refuses alias bombs (an anchor expanded too many times) here rather than while parsing.
    throw new OncallConfigError(source, [`(file): ${(error as Error).message}`]);
  }
  if (raw === null || raw === undefined) {
    throw new OncallConfigError(source, [
      '(file): is empty; expected escalation_policies, paging and schedules',
    ]);
  }
  const parsed = oncallFileSchema.safeParse(raw, { reportInput: true, error: defaultMessage });
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.flatMap(describeIssue)),
    ...crossCheck(raw),
  ];
  if (!parsed.success || problems.length > 0) {
    throw new OncallConfigError(source, inDocumentOrder(problems, doc).map(formatProblem));
  }
  return buildConfig(parsed.data, source);
}

// ---------------------------------------------------------------------------------------------------
// Problems

interface Problem {
  path: PropertyKey[];
  message: string;
}

function formatPath(path: PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? '(file)' : text;
}

function formatProblem(problem: Problem): string {
  return `${formatPath(problem.path)}: ${problem.message}`;
}

/** Sorts problems by where their value sits in the file, so the list reads top to bottom. */
function inDocumentOrder(problems: Problem[], doc: Document): Problem[] {
  const offset = (path: PropertyKey[]): number => {
    for (let length = path.length; length > 0; length--) {
      const node = doc.getIn(path.slice(0, length), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return node.range[0];
    }
    return 0;
  };
  return problems
    .map((problem, index) => ({ problem, index, at: offset(problem.path) }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map(({ problem }) => problem);
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping (key: value lines)',
  record: 'a mapping (key: value lines)',
  array: 'a list',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

/** Messages for checks that carry none of their own. */
function defaultMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type') return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
  return undefined;
}

function describeInput(input: unknown): string {
  if (Array.isArray(input))
    return input.length === 0 ? ' (got an empty list)' : ` (got a list of ${input.length})`;
  if (typeof input === 'object' && input !== null) return ' (got a mapping)';
  return ` (got ${JSON.stringify(input)})`;
}

function describeIssue(issue: z.core.$ZodIssue): Problem[] {
  const path = issue.path as PropertyKey[];
  if (issue.code === 'unrecognized_keys') {
    const known = knownFields(path);
    const hint = known.length > 0 ? ` (expected one of: ${known.join(', ')})` : '';
    return issue.keys.map((key) => ({ path: [...path, key], message: `unknown field${hint}` }));
  }
  if (issue.code === 'invalid_key') {
    const key = String(path.at(-1));
    return [{ path, message: `"${key}" is not a valid name: use letters, digits, ".", "_" or "-"` }];
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return [{ path, message: 'is required' }];
  return [{ path, message: `${issue.message}${describeInput(issue.input)}` }];
}

/** The field names the schema allows at `path`, for "unknown field" hints. */
function knownFields(path: PropertyKey[]): string[] {
  let schema: z.ZodType | undefined = oncallFileSchema;
  for (const segment of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodType>)[String(segment)];
    else if (schema instanceof z.ZodRecord) schema = schema.valueType as z.ZodType;
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else return [];
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

// ---------------------------------------------------------------------------------------------------
// Checks across fields and sections. They read the raw document defensively, so they run (and report)
// even when the schema found problems elsewhere: the user gets every problem in one pass.

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function has(mapping: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(mapping, key) && mapping[key] !== undefined;
}

function unknownName(kind: string, plural: string, name: string, known: Record<string, unknown>): string {
  const names = Object.keys(known);
  const hint = names.length > 0 ? ` (${plural}: ${names.join(', ')})` : ` (no ${plural} are defined)`;
  return `unknown ${kind} "${name}"${hint}`;
}

function crossCheck(raw: unknown): Problem[] {
  if (!isMapping(raw)) return [];
  const problems: Problem[] = [];
  const schedules = raw.schedules === undefined ? {} : raw.schedules;
  const policies = raw.escalation_policies;
  const paging = isMapping(raw.paging) ? raw.paging : {};
  const fastAllowed = paging.allow_fast_escalation === true;
  const topZone =
    typeof raw.timezone === 'string' && isValidTimeZone(raw.timezone) ? raw.timezone : undefined;

  if (isMapping(schedules)) {
    for (const [name, schedule] of Object.entries(schedules)) {
      if (!isMapping(schedule)) continue;
      const path = ['schedules', name];
      const single = ['rotation', 'participants', 'restrictions'].filter((key) => has(schedule, key));
      if (has(schedule, 'layers') && single.length > 0) {
        problems.push({
          path,
          message: `use either rotation + participants or layers, not both (found ${single.join(', ')} and layers)`,
        });
      } else if (!has(schedule, 'layers')) {
        if (single.length === 0) {
          problems.push({ path, message: 'needs a rotation with participants, or layers' });
        } else {
          if (!has(schedule, 'rotation'))
            problems.push({ path: [...path, 'rotation'], message: 'is required' });
          if (!has(schedule, 'participants'))
            problems.push({ path: [...path, 'participants'], message: 'is required' });
        }
      }
      if (!has(schedule, 'timezone') && !has(raw, 'timezone')) {
        problems.push({
          path: [...path, 'timezone'],
          message: 'is required (here or as the top-level timezone)',
        });
      }
      const zone =
        typeof schedule.timezone === 'string' && isValidTimeZone(schedule.timezone)
          ? schedule.timezone
          : topZone;
      if (Array.isArray(schedule.overrides)) {
        schedule.overrides.forEach((override, index) => {
          if (!isMapping(override) || typeof override.from !== 'string' || typeof override.to !== 'string')
            return;
          const from = parseInstant(override.from, zone ?? 'UTC');
          const to = parseInstant(override.to, zone ?? 'UTC');
          if (from !== null && to !== null && to <= from) {
            problems.push({
              path: [...path, 'overrides', index, 'to'],
              message: `must be after from (${override.from})`,
            });
          }
        });
      }
    }
  }

  const checkTiming = (path: PropertyKey[], value: unknown) => {
    if (typeof value !== 'string' || fastAllowed) return;
    const ms = parseDuration(value);
    if (ms !== null && ms < MIN_ESCALATION_MS) {
      problems.push({
        path,
        message: `${formatDuration(ms)} is under one minute; set paging.allow_fast_escalation: true to allow it (tests and the sandbox)`,
      });
    }
  };

  if (isMapping(policies)) {
    for (const [name, policy] of Object.entries(policies)) {
      if (!isMapping(policy)) continue;
      const path = ['escalation_policies', name];
      if (Array.isArray(policy.levels)) {
        policy.levels.forEach((level, levelIndex) => {
          if (!isMapping(level)) return;
          const levelPath = [...path, 'levels', levelIndex];
          if (Array.isArray(level.notify) && isMapping(schedules)) {
            level.notify.forEach((target, targetIndex) => {
              if (typeof target !== 'string' || !target.startsWith('schedule:')) return;
              const scheduleName = target.slice('schedule:'.length);
              if (!Object.hasOwn(schedules, scheduleName)) {
                problems.push({
                  path: [...levelPath, 'notify', targetIndex],
                  message: unknownName('schedule', 'schedules', scheduleName, schedules),
                });
              }
            });
          }
          checkTiming([...levelPath, 'escalate_after'], level.escalate_after);
        });
      }
      checkTiming([...path, 'ack_timeout'], policy.ack_timeout);
    }

    const checkPolicy = (path: PropertyKey[], value: unknown) => {
      if (typeof value === 'string' && !Object.hasOwn(policies, value)) {
        problems.push({
          path,
          message: unknownName('escalation policy', 'escalation_policies', value, policies),
        });
      }
    };
    if (isMapping(raw.services)) {
      for (const [name, service] of Object.entries(raw.services)) {
        if (isMapping(service))
          checkPolicy(['services', name, 'escalation_policy'], service.escalation_policy);
      }
    }
    checkPolicy(['paging', 'default_policy'], paging.default_policy);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// The validated file → typed, camelCase config. Everything here was checked above.

function buildConfig(file: OncallFile, source: string): OncallConfig {
  const schedules: Record<string, Schedule> = {};
  for (const [name, schedule] of Object.entries(file.schedules)) {
    const timezone = (schedule.timezone ?? file.timezone)!;
    const layers = schedule.layers ?? [
      {
        rotation: schedule.rotation!,
        participants: schedule.participants!,
        restrictions: schedule.restrictions,
      },
    ];
    schedules[name] = {
      name,
      timezone,
      layers: layers.map((layer, index) => ({
        name: ('name' in layer ? layer.name : undefined) ?? `layer ${index + 1}`,
        rotation: {
          length: parseRotationLength(layer.rotation.length)!,
          handoff: parseLocalTime(layer.rotation.handoff)!,
          start: parseLocalDate(layer.rotation.start)!,
        },
        participants: layer.participants,
        restrictions: (layer.restrictions ?? []).map((restriction) => ({
          days: (restriction.days ?? WEEKDAYS).map((day) => (WEEKDAYS.indexOf(day) + 1) as IsoWeekday),
          from: parseLocalTime(restriction.from)!,
          to: parseLocalTime(restriction.to)!,
        })),
      })),
      overrides: schedule.overrides.map((override) => ({
        user: override.user,
        from: new Date(parseInstant(override.from, timezone)!),
        to: new Date(parseInstant(override.to, timezone)!),
      })),
    };
  }

  const escalationPolicies: Record<string, EscalationPolicy> = {};
  for (const [name, policy] of Object.entries(file.escalation_policies)) {
    escalationPolicies[name] = {
      name,
      levels: policy.levels.map((level) => ({
        notify: level.notify.map((target): NotifyTarget => {
          const [kind, ...rest] = target.split(':');
          const value = rest.join(':');
          return kind === 'schedule' ? { kind: 'schedule', schedule: value } : { kind: 'user', user: value };
        }),
        escalateAfterMs: parseDuration(level.escalate_after)!,
      })),
      repeat: policy.repeat,
      ackTimeoutMs: policy.ack_timeout === undefined ? undefined : parseDuration(policy.ack_timeout)!,
    };
  }

  const services: Record<string, Service> = {};
  for (const [name, service] of Object.entries(file.services)) {
    services[name] = {
      name,
      escalationPolicy: service.escalation_policy,
      slo: service.slo && { target: service.slo.target, windowMs: parseDuration(service.slo.window)! },
      runbook: service.runbook,
    };
  }

  return {
    source,
    timezone: file.timezone,
    admins: file.admins,
    schedules,
    escalationPolicies,
    services,
    paging: {
      defaultPolicy: file.paging.default_policy,
      autoPage: file.paging.auto_page,
      allowFastEscalation: file.paging.allow_fast_escalation,
    },
  };
}
