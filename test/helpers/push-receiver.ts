import { createServer } from 'node:http';
import { listen } from '../../src/http/server.js';

export interface PushReceived {
  topic: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A local ntfy-compatible endpoint: records every push; `failNext` answers with an HTTP error. */
export async function startPushReceiver() {
  const received: PushReceived[] = [];
  const failures: number[] = [];
  let requests = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      requests++;
      const failure = failures.shift();
      if (failure !== undefined) {
        res.writeHead(failure, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ code: failure * 100, http: failure, error: 'refused' }));
      }
      const topic = decodeURIComponent((req.url ?? '/').slice(1));
      received.push({ topic, headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `msg${received.length}`, event: 'message', topic, message: body }));
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    get requests() {
      return requests;
    },
    failNext: (status: number, count = 1) => failures.push(...Array<number>(count).fill(status)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
