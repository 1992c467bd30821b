import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { BodyParseError, parseApiArgs, parseMultipart } from './body-parser.js';
import type { ApiReply, ApiRequest } from './dispatcher.js';

export interface HttpReply {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

/** What the HTTP layer hands to the fake; the server itself knows nothing about Slack state. */
export interface FakeHttpHandlers {
  api(method: string, request: ApiRequest): Promise<ApiReply>;
  upload(uploadToken: string, bytes: Buffer): HttpReply;
  responseUrl(id: string, body: unknown): HttpReply;
  download(fileId: string): HttpReply;
  /** WebSocket upgrades (Socket Mode); false when the request is for nothing known. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
}

export interface FakeHttpServer {
  /** Resolves with the origin (`http://host:port`). */
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

const BODY_LIMIT_BYTES = 20 * 1024 * 1024;

class BodyTooLargeError extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > BODY_LIMIT_BYTES) throw new BodyTooLargeError('body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, reply: HttpReply): void {
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
  res.writeHead(reply.status, {
    'content-type': 'text/plain; charset=utf-8',
    ...reply.headers,
    'content-length': String(body.length),
  });
  res.end(body);
}

/** The upload URL takes the bytes as multipart (field `body`, as WebClient sends) or as the raw body. */
async function uploadedBytes(contentType: string | undefined, raw: Buffer): Promise<Buffer> {
  if (!contentType?.toLowerCase().startsWith('multipart/form-data')) return raw;
  const fields = await parseMultipart(contentType, raw);
  const file = fields.body ?? Object.values(fields).find((value) => Buffer.isBuffer(value));
  return Buffer.isBuffer(file) ? file : Buffer.from(String(file ?? ''), 'utf8');
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

async function route(handlers: FakeHttpHandlers, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake.invalid');
  const segments = url.pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  const [first, second, third] = segments;
  const method = req.method ?? 'GET';
  const contentType = req.headers['content-type'];

  if (first === 'api' && second && segments.length === 2 && (method === 'POST' || method === 'GET')) {
    let args: Record<string, unknown>;
    try {
      args = {
        ...Object.fromEntries(url.searchParams),
        ...(await parseApiArgs(contentType, await readBody(req))),
      };
    } catch (error) {
      if (!(error instanceof BodyParseError)) throw error;
      return send(res, {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ok: false, error: error.code }),
      });
    }
    return send(res, await handlers.api(second, { authorization: req.headers.authorization, args }));
  }
  if (first === 'upload' && second === 'v1' && third && method === 'POST') {
    return send(res, handlers.upload(third, await uploadedBytes(contentType, await readBody(req))));
  }
  if (first === 'response' && second && method === 'POST') {
    return send(res, handlers.responseUrl(second, parseJson(await readBody(req))));
  }
  if (first === 'files' && second && method === 'GET') {
    return send(res, handlers.download(second));
  }
  send(res, { status: 404, body: 'not_found' });
}

export function createFakeHttpServer(handlers: FakeHttpHandlers): FakeHttpServer {
  let server: Server | undefined;
  return {
    async listen(port, host) {
      const created = createServer((req, res) => {
        route(handlers, req, res).catch((error: unknown) => {
          if (res.headersSent) return res.destroy();
          const tooLarge = error instanceof BodyTooLargeError;
          send(res, { status: tooLarge ? 413 : 500, body: tooLarge ? 'request_too_large' : String(error) });
        });
      });
      created.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        if (!handlers.upgrade?.(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      });
      await new Promise<void>((resolve, reject) => {
        created.once('error', reject);
        created.listen(port, host, () => resolve());
      });
      server = created;
      const address = created.address() as AddressInfo;
      const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${hostPart}:${address.port}`;
    },
    async close() {
      const current = server;
      server = undefined;
      if (!current) return;
      await new Promise<void>((resolve, reject) => {
        current.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from WebClient's fetch would otherwise hold close() open.
        current.closeAllConnections();
      });
    },
  };
}
