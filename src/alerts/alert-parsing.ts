/**
 * What the three alert parsers (Alertmanager, PagerDuty Events v2, plain webhook) share: the result
 * shape, how a zod issue is worded, severities, times and links. Pure: no I/O, no clock.
 */
import { z } from 'zod';
import type { Severity } from '../incidents/incident-types.js';
import type { AlertLink } from './alert-types.js';

/** A parse either gives its value or says everything that is wrong, each as `path: what`. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** What a parser knows besides the body: whose key it came with and when it arrived. */
export interface ParseContext {
  service: string;
  receivedAt: Date;
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

/**
 * Every zod issue as `path: message` (the body itself has no path: just the message), under `base`.
 * Parse with `reportInput: true`, so a missing field is told apart from one of the wrong type.
 */
export function formatIssues(error: z.ZodError, base: readonly PropertyKey[] = []): string[] {
  return error.issues.map((issue) => {
    const path = formatPath([...base, ...issue.path]);
    if (issue.code === 'invalid_type' && issue.input === undefined && path !== '')
      return `${path}: is required`;
    if (issue.code === 'unrecognized_keys') {
      return `${path === '' ? '' : `${path}: `}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
}

/** Runs a schema and turns its issues into messages. */
export function parseWith<S extends z.ZodType>(schema: S, body: unknown): Parsed<z.output<S>> {
  const result = schema.safeParse(body, { reportInput: true });
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: formatIssues(result.error) };
}

/** The monitoring world's words for severity, as SEV levels (issue #12's mapping). */
const SEVERITY_WORDS: Readonly<Record<string, Severity>> = {
  critical: 'SEV1',
  error: 'SEV2',
  high: 'SEV2',
  warning: 'SEV3',
  info: 'SEV4',
};

export const SEVERITY_WORD_LIST = Object.keys(SEVERITY_WORDS);

/** `critical` → SEV1, `error`/`high` → SEV2, `warning` → SEV3, `info` → SEV4 (any case); else null. */
export function severityFromWord(word: string | undefined): Severity | null {
  if (word === undefined) return null;
  return SEVERITY_WORDS[word.trim().toLowerCase()] ?? null;
}

/** Alerts that name no severity, or one we do not know, are shown as SEV3 (a warning). */
export const DEFAULT_ALERT_SEVERITY: Severity = 'SEV3';

const TIMESTAMP_PATTERN =
  /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 / RFC 3339 time, as Alertmanager and PagerDuty write them (`+0000` offsets too). */
export const timestamp = z
  .string({ error: 'expected an ISO 8601 time such as 2026-12-02T14:05:00Z' })
  .refine(
    (text) => TIMESTAMP_PATTERN.test(text) && !Number.isNaN(Date.parse(text)),
    'expected an ISO 8601 time such as 2026-12-02T14:05:00Z',
  )
  .transform((text) => new Date(text));

/** http(s) URLs only: anything else (javascript:, relative paths, empty strings) is not shown as a link. */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** An http(s) URL field: refused with a message when it is anything else. */
export const httpUrl = z
  .string({ error: 'expected an http(s) URL' })
  .max(2048, 'expected a URL of at most 2048 characters')
  .refine(isHttpUrl, 'expected an http(s) URL');

/** Links to show, runbooks first, other http(s) links after in their order; no duplicates. */
export function orderLinks(links: AlertLink[]): AlertLink[] {
  const seen = new Set<string>();
  const kept = links.filter((link) => {
    if (!isHttpUrl(link.href) || seen.has(link.href)) return false;
    seen.add(link.href);
    return true;
  });
  const isRunbook = (link: AlertLink) => /runbook/i.test(link.text);
  return [...kept.filter(isRunbook), ...kept.filter((link) => !isRunbook(link))];
}

/** Titles are cut to this length (PagerDuty's limit on a summary). */
export const MAX_TITLE = 1024;

/** Cuts a title to MAX_TITLE characters, marking the cut. */
export function fitTitle(text: string): string {
  const trimmed = text.trim();
  return trimmed.length <= MAX_TITLE ? trimmed : `${trimmed.slice(0, MAX_TITLE - 1)}…`;
}

/** The path of the first string holding a NUL character (Postgres text cannot hold it), or null. */
export function findNulString(value: unknown, path: PropertyKey[] = []): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? formatPath(path) || '(body)' : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findNulString(item, [...path, index]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findNulString(key, [...path, key]) ?? findNulString(item, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}
