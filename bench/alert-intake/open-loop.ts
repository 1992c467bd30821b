import { Agent, request } from 'node:http';

/** One request the generator sends: its body and what the run needs to match answers to rows. */
export interface LoadRequest {
  body: string;
  /** Index into the caller's own bookkeeping (which service and dedup key). */
  tag: number;
}

/** What happened to one request. Times are `performance.timeOrigin`-relative ms. */
export interface LoadResult {
  tag: number;
  /** When the schedule said it should be sent (its latency counts from here: no coordinated omission). */
  scheduledAt: number;
  sentAt: number;
  /** When the whole answer had arrived; NaN if it failed. */
  answeredAt: number;
  status: number;
  /** The answer body (kept only when `keepBody` says so), or the error message. */
  body: string;
}

export interface OpenLoopOptions {
  url: string;
  /** Requests per second, evenly spaced: request i is due at start + i / rate. */
  rate: number;
  requests: LoadRequest[];
  /** Most sockets open at once (answers slower than the rate need more of them). Default 512. */
  maxSockets?: number;
  /** Per-request timeout, ms. Default 10,000. */
  timeoutMs?: number;
  keepBody?: (status: number) => boolean;
}

/**
 * A fixed-rate, open-loop load: every request is sent when it is due, whether or not earlier ones have
 * been answered, and its latency is measured from when it was due, not from when it went out. A
 * closed-loop generator (autocannon, even with `overallRate`: each connection waits for its answer
 * before it sends the next) sends less while the server is slow and so hides exactly the queueing a
 * burst causes (coordinated omission). Requests go over keep-alive sockets, as a monitoring system's
 * HTTP client sends them; the socket pool grows when answers lag.
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<LoadResult[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 512 });
  const url = new URL(options.url);
  const intervalMs = 1000 / options.rate;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const results: LoadResult[] = new Array(options.requests.length);
  let pending = options.requests.length;
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => {
    allDone = resolve;
  });
  if (pending === 0) allDone();

  const send = (index: number, scheduledAt: number) => {
    const { body, tag } = options.requests[index]!;
    const result: LoadResult = {
      tag,
      scheduledAt,
      sentAt: performance.now(),
      answeredAt: Number.NaN,
      status: 0,
      body: '',
    };
    results[index] = result;
    const finish = () => {
      pending -= 1;
      if (pending === 0) allDone();
    };
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        timeout: timeoutMs,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          result.answeredAt = performance.now();
          result.status = res.statusCode ?? 0;
          if (options.keepBody?.(result.status) ?? true) result.body = Buffer.concat(chunks).toString();
          finish();
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => {
      if (result.status === 0 && Number.isNaN(result.answeredAt)) {
        result.body = error.message;
        finish();
      }
    });
    req.end(body);
  };

  // Sends whatever has come due, then sleeps until the next one is due (timers are ≥ 1 ms apart, so
  // at high rates several requests go out per wake-up, each still timed from its own due time).
  const start = performance.now();
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < options.requests.length && start + next * intervalMs <= now) {
        send(next, start + next * intervalMs);
        next += 1;
      }
      if (next >= options.requests.length) return resolve();
      setTimeout(tick, Math.max(0, start + next * intervalMs - performance.now()));
    };
    tick();
  });
  await done;
  agent.destroy();
  return results;
}
