import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServerOptions {
  /** Bolt's receiver: handles POST /slack/events (signature check, body limit, ack). */
  slackListener: RequestListener | null;
  /** Exact-path GET routes: /healthz, /readyz, /metrics and later additions. */
  routes: Record<string, RouteHandler>;
  /** GET requests no exact route matched (e.g. `/incidents/<id>/postmortem.md`); 404 when absent. */
  fallback?: RouteHandler;
  /**
   * Routes that take any method and answer it themselves (the alert routes): a key ending in `/` is
   * a prefix (`/alerts/webhook/` serves `/alerts/webhook/<key>`), any other an exact path. The key is
   * the route's label in metrics and logs, so a secret in the rest of the path never reaches them.
   */
  inbound?: Record<string, RouteHandler>;
  metrics: Metrics;
  logger: Logger;
}

/** Slack's replay window: Bolt refuses older timestamps; newer ones are refused here. */
const MAX_CLOCK_SKEW_S = 5 * 60;

/**
 * True when a Slack request claims to be from more than five minutes in the future. Bolt checks only
 * the past; a request signed "later" would otherwise stay replayable for as long as it claims. Wall
 * time, as Bolt's own check uses, since it is compared with Slack's clock.
 */
export function isFutureSlackRequest(req: IncomingMessage, nowMs = Date.now()): boolean {
  const header = req.headers['x-slack-request-timestamp'];
  const timestamp = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(timestamp) && timestamp > nowMs / 1000 + MAX_CLOCK_SKEW_S;
}

const KNOWN_ROUTES = new Set(['/slack/events', '/healthz', '/readyz', '/metrics']);

/** The inbound route serving `path`: its exact path, else the longest prefix ending in `/`. */
function inboundRoute(inbound: Record<string, RouteHandler>, path: string): string | undefined {
  if (Object.hasOwn(inbound, path) && !path.endsWith('/')) return path;
  let best: string | undefined;
  for (const key of Object.keys(inbound)) {
    if (key.endsWith('/') && path.startsWith(key) && (best === undefined || key.length > best.length))
      best = key;
  }
  return best;
}

export function createHttpServer({
  slackListener,
  routes,
  fallback,
  inbound = {},
  metrics,
  logger,
}: HttpServerOptions): Server {
  return createServer((req, res) => {
    const started = process.hrtime.bigint();
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const inboundKey = inboundRoute(inbound, path);
    const route = KNOWN_ROUTES.has(path) || routes[path] ? path : (inboundKey ?? 'other');
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequests.inc({ method: req.method ?? 'GET', route, status: String(res.statusCode) });
      metrics.httpDuration.observe({ method: req.method ?? 'GET', route }, seconds);
    });
    try {
      if (path === '/slack/events' && slackListener) {
        if (req.method !== 'POST') return sendText(res, 405, 'Slack posts to this URL; use POST.\n');
        if (isFutureSlackRequest(req)) {
          logger.warn('refused a Slack request dated more than five minutes in the future');
          return sendText(res, 401, 'request timestamp is in the future\n');
        }
        return slackListener(req, res);
      }
      if (inboundKey !== undefined) {
        Promise.resolve(inbound[inboundKey]!(req, res)).catch((error) => {
          logger.error({ err: error, route: inboundKey }, 'route failed');
          if (!res.headersSent) sendText(res, 500, 'internal error\n');
        });
        return;
      }
      const handler = routes[path] ?? (path.startsWith('/incidents/') ? fallback : undefined);
      if (handler && (req.method === 'GET' || req.method === 'HEAD')) {
        Promise.resolve(handler(req, res)).catch((error) => {
          logger.error({ err: error, path }, 'route failed');
          if (!res.headersSent) sendText(res, 500, 'internal error\n');
        });
        return;
      }
      sendText(res, 404, 'not found\n');
    } catch (error) {
      logger.error({ err: error, path }, 'request failed');
      if (!res.headersSent) sendText(res, 500, 'internal error\n');
    }
  });
}

export function sendText(
  res: ServerResponse,
  status: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
) {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown) {
  sendText(res, status, `${JSON.stringify(body)}\n`, 'application/json');
}

export function listen(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
