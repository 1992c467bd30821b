/**
 * The alert routes, on the Slack port: Alertmanager's webhook, PagerDuty Events v2, the plain webhook
 * and heartbeat check-ins. Each reads at most 512 KB, parses with its source's pure parser
 * (src/alerts/*-parser.ts) and answers 2xx only once the intake committed the events. An unknown key
 * is answered as a path that does not exist (PagerDuty's route: as PagerDuty answers an unknown
 * routing key), and nothing is stored.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createAlertKeyIndex } from '../alerts/alert-keys.js';
import { findNulString, type Parsed } from '../alerts/alert-parsing.js';
import type { AlertEvent, AlertIntake, Heartbeats, IngestResult } from '../alerts/alert-types.js';
import { parseAlertmanagerWebhook } from '../alerts/alertmanager-parser.js';
import { pagerDutyAccepted, pagerDutyInvalid, parsePagerDutyEvent } from '../alerts/pagerduty-parser.js';
import { parseWebhookAlert } from '../alerts/webhook-parser.js';
import type { Clock } from '../clock.js';
import { isDatabaseUnavailable } from '../db/pool.js';
import { AppError } from '../errors.js';
import type { Service } from '../escalation/oncall-config.js';
import { isJsonContentType, readLimitedBody } from './request-body.js';
import { type RouteHandler, sendJson, sendText } from './server.js';

/** PagerDuty's own limit on an event; the same for every alert route. */
export const MAX_ALERT_BODY_BYTES = 512 * 1024;

export interface AlertRoutesDeps {
  services: Record<string, Service>;
  intake: AlertIntake;
  /** Heartbeat check-ins; null until they are wired (check-ins then answer 503). */
  heartbeats: Heartbeats | null;
  clock: Clock;
  /** Names a PagerDuty trigger sent without a dedup key (default: a random UUID without dashes). */
  newDedupKey?: () => string;
}

type Answer = (res: ServerResponse, status: number, message: string, errors?: string[]) => void;

const plainAnswer: Answer = (res, status, message, errors) =>
  sendJson(res, status, { status: 'error', message, ...(errors ? { errors } : {}) });

const pagerDutyAnswer: Answer = (res, status, message, errors) =>
  status === 400
    ? sendJson(res, 400, pagerDutyInvalid(errors ?? [message]))
    : sendJson(res, status, { status: 'error', message });

const notFound = (res: ServerResponse) => sendText(res, 404, 'not found\n');

/** The segments of `path` after `prefix`, decoded; null when one cannot be decoded or is empty. */
function segmentsAfter(req: IncomingMessage, prefix: string): string[] | null {
  const url = req.url ?? '/';
  const path = url.split('?')[0]!.slice(prefix.length);
  try {
    const segments = path.split('/').map(decodeURIComponent);
    return segments.some((s) => s === '') ? null : segments;
  } catch {
    return null;
  }
}

/**
 * A JSON body within the limit, or the answer already sent (405 other methods, 415 other types, 413
 * too large, 400 not JSON or holding a NUL character Postgres cannot store).
 */
async function readJson(
  req: IncomingMessage,
  res: ServerResponse,
  answer: Answer,
): Promise<{ body: unknown } | null> {
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    answer(res, 405, `use POST to send alerts here (got ${req.method})`);
    return null;
  }
  if (!isJsonContentType(req.headers['content-type'])) {
    answer(res, 415, 'send the body as JSON (Content-Type: application/json)');
    return null;
  }
  const read = await readLimitedBody(req, MAX_ALERT_BODY_BYTES);
  if (!read.ok) {
    res.setHeader('connection', 'close');
    answer(res, 413, `the body is over ${MAX_ALERT_BODY_BYTES / 1024} KB`);
    return null;
  }
  let body: unknown;
  try {
    body = JSON.parse(read.text);
  } catch (error) {
    answer(res, 400, 'the body is not valid JSON', [`body: not valid JSON (${(error as Error).message})`]);
    return null;
  }
  const nul = findNulString(body);
  if (nul !== null) {
    answer(res, 400, 'the body holds a NUL character', [
      `${nul}: must not contain the NUL character (\\u0000)`,
    ]);
    return null;
  }
  return { body };
}

/** Ingests, answering 503 (so the sender retries) when the database cannot take the events now. */
async function ingest(
  intake: AlertIntake,
  events: AlertEvent[],
  res: ServerResponse,
  answer: Answer,
): Promise<IngestResult[] | null> {
  try {
    return await intake.ingest(events);
  } catch (error) {
    const unavailable =
      (error instanceof AppError && error.code === 'database_unavailable') || isDatabaseUnavailable(error);
    if (!unavailable) throw error;
    res.setHeader('retry-after', '5');
    answer(res, 503, 'the alert could not be stored right now; send it again');
    return null;
  }
}

export function alertRoutes(deps: AlertRoutesDeps): Record<string, RouteHandler> {
  const keys = createAlertKeyIndex(deps.services);
  const newDedupKey = deps.newDedupKey ?? (() => randomUUID().replaceAll('-', ''));

  /** The service of a route whose only path segment is its key; null after answering 404. */
  const serviceOfPath = (req: IncomingMessage, res: ServerResponse, prefix: string): Service | null => {
    const segments = segmentsAfter(req, prefix);
    const service = segments?.length === 1 ? keys.serviceFor(segments[0]!) : null;
    if (!service) notFound(res);
    return service;
  };

  /** A source whose route carries the key in its path: Alertmanager and the plain webhook. */
  const keyedRoute =
    (
      prefix: string,
      parse: (body: unknown, service: string) => Parsed<AlertEvent[]>,
      reply: (res: ServerResponse, results: IngestResult[]) => void,
    ): RouteHandler =>
    async (req, res) => {
      const service = serviceOfPath(req, res, prefix);
      if (!service) return;
      const read = await readJson(req, res, plainAnswer);
      if (!read) return;
      const parsed = parse(read.body, service.name);
      if (!parsed.ok) return plainAnswer(res, 400, 'the alert is not valid', parsed.errors);
      const results = await ingest(deps.intake, parsed.value, res, plainAnswer);
      if (results) reply(res, results);
    };

  const context = (service: string) => ({ service, receivedAt: deps.clock.now() });

  return {
    '/alerts/alertmanager/': keyedRoute(
      '/alerts/alertmanager/',
      (body, service) => parseAlertmanagerWebhook(body, context(service)),
      (res, results) => sendJson(res, 200, { status: 'success', alerts: results.length }),
    ),
    '/alerts/webhook/': keyedRoute(
      '/alerts/webhook/',
      (body, service) => {
        const parsed = parseWebhookAlert(body, context(service));
        return parsed.ok ? { ok: true, value: [parsed.value] } : parsed;
      },
      (res, [result]) =>
        sendJson(res, 202, { status: 'success', dedup_key: result!.dedupKey, outcome: result!.outcome }),
    ),
    '/v2/enqueue': async (req, res) => {
      const read = await readJson(req, res, pagerDutyAnswer);
      if (!read) return;
      const parsed = parsePagerDutyEvent(read.body, { receivedAt: deps.clock.now(), newDedupKey });
      if (!parsed.ok) return pagerDutyAnswer(res, 400, 'Event object is invalid', parsed.errors);
      const service = keys.serviceFor(parsed.value.routingKey);
      if (!service) return pagerDutyAnswer(res, 400, 'Event object is invalid', ['Invalid routing key']);
      const results = await ingest(
        deps.intake,
        [{ ...parsed.value.event, service: service.name }],
        res,
        pagerDutyAnswer,
      );
      if (results) sendJson(res, 202, pagerDutyAccepted(results[0]!.dedupKey));
    },
    '/alerts/heartbeat/': async (req, res) => {
      const segments = segmentsAfter(req, '/alerts/heartbeat/');
      const service = segments?.length === 2 ? keys.serviceFor(segments[0]!) : null;
      const name = segments?.[1];
      if (!service || name === undefined || !Object.hasOwn(service.heartbeats, name)) return notFound(res);
      if (req.method !== 'GET' && req.method !== 'POST') {
        res.setHeader('allow', 'GET, POST');
        return plainAnswer(res, 405, `check in with GET or POST (got ${req.method})`);
      }
      // Whatever a cron job posts is not needed; it is read (up to the limit) and dropped.
      if (req.method === 'POST' && !(await readLimitedBody(req, MAX_ALERT_BODY_BYTES)).ok) {
        res.setHeader('connection', 'close');
        return plainAnswer(res, 413, `the body is over ${MAX_ALERT_BODY_BYTES / 1024} KB`);
      }
      if (!deps.heartbeats) return plainAnswer(res, 503, 'heartbeats are not running on this instance');
      await deps.heartbeats.checkIn(service.name, name);
      sendJson(res, 200, { status: 'success', heartbeat: name });
    },
  };
}
