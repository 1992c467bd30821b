import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error the caller made (bad input, unknown user…): answered 400. */
export class RequestError extends Error {}

const MAX_BODY_BYTES = 1024 * 1024;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RequestError('request body too large');
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new RequestError('request body is not JSON');
  }
  if (!isRecord(parsed)) throw new RequestError('request body must be a JSON object');
  return parsed;
}

export function send(res: ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8');
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Why a request must be refused (403), or null. The page is served on a loopback port, so a web page
 * on another site can reach it from the same browser: its `text/plain` form posts and, through DNS
 * rebinding, requests under its own host name. Every request must name a loopback host with the port
 * actually served; a POST (every POST changes the workspace) must be JSON from the page's own origin.
 */
export function foreignRequest(req: IncomingMessage): string | null {
  const host = req.headers.host ?? '';
  const port = req.socket.localPort;
  const separator = host.lastIndexOf(':');
  const name = separator > 0 ? host.slice(0, separator) : host;
  if (!LOOPBACK_NAMES.has(name.toLowerCase()) || host.slice(separator + 1) !== String(port)) {
    return `the sandbox answers only on 127.0.0.1:${port} or localhost:${port}, not ${host || 'no Host'}`;
  }
  if (req.method !== 'POST') return null;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return 'the sandbox takes POSTs as application/json only';
  if (req.headers.origin?.toLowerCase() !== `http://${host.toLowerCase()}`) {
    return `the sandbox takes POSTs from its own page (Origin http://${host}) only`;
  }
  return null;
}
