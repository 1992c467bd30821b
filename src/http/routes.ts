import type { Clock } from '../clock.js';
import type { Pool } from '../db/pool.js';
import { findLatestPostmortem } from '../postmortem/postmortem-repo.js';
import { type LinkKeys, verifyPostmortemLink } from '../postmortem/signed-links.js';
import type { RedisConnection } from '../queue/redis.js';
import { withTimeout } from '../with-timeout.js';
import type { Metrics } from './metrics.js';
import { type RouteHandler, sendJson, sendText } from './server.js';

/** `/healthz` (process up) and `/readyz` (Postgres and Redis reachable): no counts, safe to expose. */
export function operationalRoutes(deps: {
  role: string;
  pool: Pool;
  redis: RedisConnection;
}): Record<string, RouteHandler> {
  const { pool, redis } = deps;
  const probe = (check: Promise<unknown>) =>
    withTimeout(check, 1000).then(
      () => 'ok',
      () => 'unreachable',
    );
  return {
    '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok', role: deps.role }),
    '/readyz': async (_req, res) => {
      const [postgres, redisState] = await Promise.all([probe(pool.query('SELECT 1')), probe(redis.ping())]);
      const ready = postgres === 'ok' && redisState === 'ok';
      sendJson(res, ready ? 200 : 503, {
        status: ready ? 'ready' : 'not ready',
        postgres,
        redis: redisState,
      });
    },
  };
}

/**
 * `/metrics` (Prometheus text). Served only on the METRICS_PORT listener: the counts it holds (private
 * incidents among them) are for the operator's scraper, not for whoever can reach the Slack URL.
 */
export function metricsRoutes(metrics: Metrics): Record<string, RouteHandler> {
  return {
    '/metrics': async (_req, res) =>
      sendText(res, 200, await metrics.registry.metrics(), metrics.registry.contentType),
  };
}

/**
 * Every answer of the link route: not sniffed as HTML, not cached by a shared cache or the browser,
 * rendered (if a browser renders it) in a sandbox with no script or origin, and the link itself never
 * leaks onward as a Referer.
 */
export const LINK_RESPONSE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'private, no-store',
  'content-security-policy': 'sandbox',
  'referrer-policy': 'no-referrer',
} as const;

/** Signed, expiring links to the latest postmortem draft (see postmortem/signed-links.ts). */
export function postmortemLinkRoute(deps: { pool: Pool; clock: Clock; linkKeys: LinkKeys }): RouteHandler {
  const why = {
    malformed: 'not a postmortem link',
    bad_signature: 'this link is not valid',
    expiry_too_far: 'this link is not valid',
    expired: 'this link has expired; ask the bot for a new one with /incident postmortem',
  };
  return async (req, res) => {
    for (const [name, value] of Object.entries(LINK_RESPONSE_HEADERS)) res.setHeader(name, value);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const check = verifyPostmortemLink(deps.linkKeys, url.pathname, url.searchParams, deps.clock.now());
    if (!check.ok) {
      return sendText(res, check.reason === 'malformed' ? 404 : 403, `${why[check.reason]}\n`);
    }
    const postmortem = await findLatestPostmortem(deps.pool, check.incidentId);
    if (!postmortem) return sendText(res, 404, 'no postmortem draft for this incident yet\n');
    res.setHeader('content-disposition', `inline; filename="incident-${check.incidentId}-postmortem.md"`);
    sendText(res, 200, postmortem.markdown, 'text/markdown; charset=utf-8');
  };
}
