import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import {
  pagerDutyAccepted,
  pagerDutyInvalid,
  parsePagerDutyEvent,
} from '../../src/alerts/pagerduty-parser.js';

/**
 * The floor for a durable accept: a bare Node HTTP server that reads a PagerDuty Events v2 body (up to
 * 512 KB), validates it with the bot's own parser (src/alerts/pagerduty-parser.ts: the same rules
 * and messages), checks the routing key, does one INSERT per event into the same Postgres (autocommit: committed before the
 * answer) and answers 202 as PagerDuty does. No dedup, grouping, paging or outbox: what the bot does
 * beyond this is what the ratio measures.
 */

const MAX_BODY = 512 * 1024;

export const BASELINE_TABLE_SQL = `CREATE TABLE IF NOT EXISTS bench_baseline_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  routing_key text NOT NULL,
  dedup_key text NOT NULL,
  summary text NOT NULL,
  severity text NOT NULL,
  payload jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
)`;

export interface BaselineServer {
  url: string;
  stop(): Promise<void>;
}

export async function startBaselineServer(options: {
  databaseUrl: string;
  routingKeys: ReadonlySet<string>;
  poolMax?: number;
}): Promise<BaselineServer> {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolMax ?? 10,
    application_name: 'bench-baseline',
  });
  await pool.query(BASELINE_TABLE_SQL);
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const invalid = (res: ServerResponse, errors: string[]) => answer(res, 400, pagerDutyInvalid(errors));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || req.url !== '/v2/enqueue') return answer(res, 404, { message: 'not found' });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY) {
        answer(res, 413, { status: 'invalid event', message: 'Request too large' });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    }
    let json: unknown;
    try {
      json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return invalid(res, ['body: expected JSON']);
    }
    const parsed = parsePagerDutyEvent(json, { receivedAt: new Date(), newDedupKey: randomUUID });
    if (!parsed.ok) return invalid(res, parsed.errors);
    const { routingKey, event } = parsed.value;
    if (!options.routingKeys.has(routingKey)) return invalid(res, ['Invalid routing key']);
    await pool.query(
      'INSERT INTO bench_baseline_events (routing_key, dedup_key, summary, severity, payload) VALUES ($1, $2, $3, $4, $5)',
      [routingKey, event.dedupKey, event.title, event.severity, event.payload],
    );
    answer(res, 202, pagerDutyAccepted(event.dedupKey));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) answer(res, 500, { message: String(error) });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('baseline: no listening address');
  return {
    url: `http://127.0.0.1:${address.port}/v2/enqueue`,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pool.end();
    },
  };
}
