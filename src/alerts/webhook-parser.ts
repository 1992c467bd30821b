/**
 * The plain JSON form for scripts (`POST /alerts/webhook/<alert_key>`):
 * `{ "title", "status": "firing"|"resolved", "dedup_key", "severity", "details", "link" }`.
 * `status` defaults to firing; a firing alert needs a title; `dedup_key` defaults to the title, so a
 * script can resolve what it raised by sending the same title; `severity` is a word
 * (critical|error|high|warning|info) or SEV1–SEV4, default SEV3. Unknown fields are refused, so a typo
 * is not silently dropped.
 */
import { z } from 'zod';
import { SEVERITIES } from '../incidents/incident-types.js';
import {
  DEFAULT_ALERT_SEVERITY,
  fitTitle,
  httpUrl,
  MAX_TITLE,
  type ParseContext,
  type Parsed,
  parseWith,
  SEVERITY_WORD_LIST,
  severityFromWord,
} from './alert-parsing.js';
import type { AlertEvent } from './alert-types.js';

const SEVERITY_CHOICES = [...SEVERITY_WORD_LIST, ...SEVERITIES];

const severity = z
  .string({ error: `expected one of ${SEVERITY_CHOICES.join(', ')}` })
  .transform((text, ctx) => {
    const upper = text.trim().toUpperCase();
    const found = (SEVERITIES as readonly string[]).includes(upper)
      ? (upper as (typeof SEVERITIES)[number])
      : severityFromWord(text);
    if (found === null) {
      ctx.addIssue({ code: 'custom', message: `expected one of ${SEVERITY_CHOICES.join(', ')}` });
      return z.NEVER;
    }
    return found;
  });

const webhook = z
  .strictObject(
    {
      title: z
        .string({ error: 'expected text' })
        .trim()
        .min(1, 'expected a non-empty title')
        .max(MAX_TITLE, `expected at most ${MAX_TITLE} characters`)
        .optional(),
      status: z.enum(['firing', 'resolved'], { error: 'expected "firing" or "resolved"' }).default('firing'),
      dedup_key: z
        .string({ error: 'expected text' })
        .min(1, 'expected a non-empty key')
        .max(255, 'expected at most 255 characters')
        .optional(),
      severity: severity.optional(),
      details: z.record(z.string(), z.unknown(), { error: 'expected an object' }).optional(),
      link: httpUrl.optional(),
    },
    { error: 'expected a JSON object: { "title", "status", "dedup_key", "severity", "details", "link" }' },
  )
  .superRefine((body, ctx) => {
    if (body.status === 'firing' && body.title === undefined) {
      ctx.addIssue({ code: 'custom', path: ['title'], message: 'is required for a firing alert' });
    } else if (body.dedup_key === undefined && body.title === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['dedup_key'],
        message: 'is required to resolve (or send the title the alert was raised with)',
      });
    }
  });

/** A webhook body → its event, or every problem with it. */
export function parseWebhookAlert(body: unknown, context: ParseContext): Parsed<AlertEvent> {
  const parsed = parseWith(webhook, body);
  if (!parsed.ok) return parsed;
  const alert = parsed.value;
  const dedupKey = alert.dedup_key ?? alert.title!;
  return {
    ok: true,
    value: {
      service: context.service,
      source: 'webhook',
      action: alert.status === 'firing' ? 'trigger' : 'resolve',
      dedupKey,
      groupKey: null,
      title: fitTitle(alert.title ?? dedupKey),
      severity: alert.severity ?? DEFAULT_ALERT_SEVERITY,
      labels: {},
      details: alert.details ?? {},
      links: alert.link ? [{ text: 'Link', href: alert.link }] : [],
      at: context.receivedAt,
      actor: 'webhook',
      payload: body,
    },
  };
}
