import { createServer } from 'node:http';
import { listenOnLoopback, readText } from './listen.js';
import type { OutboxLog } from './outbox-log.js';

export interface PushReceived {
  topic: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface PushOutbox {
  /** The bot's PUSH_URL. */
  url: string;
  received: PushReceived[];
  /** Requests answered, failures included. */
  readonly requests: number;
  /** The next `count` requests are answered with this HTTP status, as ntfy answers errors. */
  failNext(status: number, count?: number): void;
  close(): Promise<void>;
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`), as ntfy decodes a non-ASCII `Title` header. */
export function decodeHeaderText(value: string): string {
  return value.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
    encoding.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : text
          .replace(/_/g, ' ')
          .replace(/=([0-9A-F]{2})/gi, (_hex, code: string) =>
            String.fromCharCode(Number.parseInt(code, 16)),
          ),
  );
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * A local ntfy-compatible endpoint: `POST /<topic>` with the message as the body and `Title`,
 * `Priority`, `Click`, `Actions` headers; answers as ntfy does (`{ id, event: 'message', … }`).
 */
export async function startPushOutbox(options: { log?: OutboxLog; port?: number } = {}): Promise<PushOutbox> {
  const received: PushReceived[] = [];
  const failures: number[] = [];
  let requests = 0;
  const server = createServer(async (req, res) => {
    const body = await readText(req);
    requests++;
    const failure = failures.shift();
    if (failure !== undefined) {
      res.writeHead(failure, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ code: failure * 100, http: failure, error: 'refused' }));
    }
    const topic = decodeURIComponent((req.url ?? '/').slice(1));
    received.push({ topic, headers: req.headers, body });
    const id = `msg${received.length}`;
    options.log?.add({
      kind: 'push',
      id,
      topic,
      title: decodeHeaderText(header(req.headers.title) ?? ''),
      body,
      click: header(req.headers.click) ?? null,
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id, event: 'message', topic, message: body }));
  });
  const port = await listenOnLoopback(server, options.port ?? 0);
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    get requests() {
      return requests;
    },
    failNext: (status, count = 1) => failures.push(...Array<number>(count).fill(status)),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
