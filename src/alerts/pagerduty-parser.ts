/**
 * PagerDuty Events API v2 (`POST /v2/enqueue`) → one alert event, so anything that sends to PagerDuty
 * can send here by changing the host. `routing_key` is the service's alert key (the route looks it
 * up); triggers need `payload.summary` (≤ 1024), `payload.source` and `payload.severity`
 * (critical|error|warning|info); acknowledge and resolve need `dedup_key`, which a trigger without one
 * gets generated (and answered). Answers are PagerDuty's own shapes (see pagerDutyInvalid).
 */
import { z } from 'zod';
import {
  DEFAULT_ALERT_SEVERITY,
  formatIssues,
  orderLinks,
  type Parsed,
  severityFromWord,
  timestamp,
} from './alert-parsing.js';
import type { AlertEvent, AlertLink } from './alert-types.js';

const text = z.string({ error: 'expected a string' });

const envelope = z.object(
  {
    routing_key: text.min(1, 'expected a non-empty routing key'),
    event_action: z.enum(['trigger', 'acknowledge', 'resolve'], {
      error: 'expected "trigger", "acknowledge" or "resolve"',
    }),
    dedup_key: text
      .min(1, 'expected a non-empty string')
      .max(255, 'expected at most 255 characters')
      .optional(),
    payload: z.unknown().optional(),
    links: z
      .array(z.object({ href: text, text: text.optional() }), { error: 'expected a list of {href, text}' })
      .optional(),
    images: z
      .array(z.object({ src: text, href: text.optional(), alt: text.optional() }), {
        error: 'expected a list of {src, href, alt}',
      })
      .optional(),
    client: text.optional(),
    client_url: text.optional(),
  },
  { error: 'expected a JSON object (a PagerDuty Events API v2 event)' },
);

const triggerPayload = z.object(
  {
    summary: text.trim().min(1, 'expected a non-empty summary').max(1024, 'expected at most 1024 characters'),
    source: text.min(1, 'expected a non-empty source'),
    severity: z.enum(['critical', 'error', 'warning', 'info'], {
      error: 'expected "critical", "error", "warning" or "info"',
    }),
    timestamp: timestamp.optional(),
    component: text.optional(),
    group: text.optional(),
    class: text.optional(),
    custom_details: z.unknown().optional(),
  },
  { error: 'expected an object with summary, source and severity' },
);

/** The event, and the routing key it came with (the route resolves it to a service). */
export interface PagerDutyEvent {
  routingKey: string;
  event: Omit<AlertEvent, 'service'>;
}

/** PagerDuty's answer to an event it refuses (HTTP 400). */
export function pagerDutyInvalid(errors: string[]) {
  return { status: 'invalid event', message: 'Event object is invalid', errors };
}

/** PagerDuty's answer to an accepted event (HTTP 202). */
export function pagerDutyAccepted(dedupKey: string) {
  return { status: 'success', message: 'Event processed', dedup_key: dedupKey };
}

/**
 * An Events API v2 body → the event, or every problem with it (as PagerDuty lists them in `errors`).
 * `newDedupKey` names a trigger sent without a dedup key.
 */
export function parsePagerDutyEvent(
  body: unknown,
  context: { receivedAt: Date; newDedupKey: () => string },
): Parsed<PagerDutyEvent> {
  const base = envelope.safeParse(body, { reportInput: true });
  const errors = base.success ? [] : formatIssues(base.error);
  const action = (body as { event_action?: unknown } | null)?.event_action;
  const rawPayload = (body as { payload?: unknown } | null)?.payload;
  let payload: z.output<typeof triggerPayload> | null = null;
  if (action === 'trigger') {
    const parsed = triggerPayload.safeParse(rawPayload, { reportInput: true });
    if (parsed.success) payload = parsed.data;
    else errors.push(...formatIssues(parsed.error, ['payload']));
  } else if ((action === 'acknowledge' || action === 'resolve') && base.success && !base.data.dedup_key) {
    errors.push(`dedup_key: is required to ${action} an alert`);
  }
  if (!base.success || errors.length > 0) return { ok: false, errors };

  const envelopeData = base.data;
  const dedupKey = envelopeData.dedup_key ?? context.newDedupKey();
  // The routing key is the service's secret: never stored.
  const { routing_key: _secret, ...rest } = body as Record<string, unknown>;
  const fields = payload ? triggerFields(payload, envelopeData) : null;
  return {
    ok: true,
    value: {
      routingKey: envelopeData.routing_key,
      event: {
        source: 'pagerduty',
        action: envelopeData.event_action,
        dedupKey,
        groupKey: null,
        // Acknowledge and resolve carry no payload: only the dedup key matters.
        title: fields?.title ?? dedupKey,
        severity: fields?.severity ?? DEFAULT_ALERT_SEVERITY,
        labels: fields?.labels ?? {},
        details: fields?.details ?? {},
        links: fields?.links ?? [],
        at: payload?.timestamp ?? context.receivedAt,
        actor: 'PagerDuty Events API',
        payload: rest,
      },
    },
  };
}

/** What a trigger's payload and links show: title, severity, labels, details and links. */
function triggerFields(payload: z.output<typeof triggerPayload>, envelopeData: z.output<typeof envelope>) {
  const labels: Record<string, string> = { source: payload.source };
  for (const name of ['component', 'group', 'class'] as const) {
    const value = payload[name];
    if (value) labels[name] = value;
  }
  const details = payload.custom_details;
  const links: AlertLink[] = (envelopeData.links ?? []).map((link) => ({
    text: link.text || link.href,
    href: link.href,
  }));
  if (envelopeData.client_url)
    links.push({ text: envelopeData.client || 'Source', href: envelopeData.client_url });
  return {
    title: payload.summary,
    severity: severityFromWord(payload.severity) ?? DEFAULT_ALERT_SEVERITY,
    labels,
    details:
      details === undefined
        ? {}
        : typeof details === 'object' && details !== null && !Array.isArray(details)
          ? (details as Record<string, unknown>)
          : { custom_details: details },
    links: orderLinks(links),
  };
}
