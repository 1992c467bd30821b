import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { ApiReply, ApiRequest } from './dispatcher.js';

/**
 * Slack's Socket Mode, as @slack/socket-mode's SocketModeClient speaks it:
 * - `apps.connections.open` with the app-level token (`xapp-…`) answers a one-use `wss://` URL;
 * - on connect the server sends `{type:"hello", num_connections, debug_info, connection_info}`;
 * - each delivery is `{envelope_id, type, payload, accepts_response_payload, retry_attempt, retry_reason}`
 *   with type `slash_commands`, `interactive` or `events_api` (payload: the JSON of what Slack would POST);
 * - the app acks with `{envelope_id, payload?}` (payload: a slash command's reply, a view_submission's
 *   `response_action`…);
 * - the server may send `{type:"disconnect", reason}` (`warning`, `refresh_requested`, `link_disabled`):
 *   the app then opens a new connection with `apps.connections.open`.
 * Slack pings every few seconds; the client reconnects if pings stop (30 s by default).
 */
export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SocketModeServerOptions {
  appToken: string;
  appId: string;
  /** Server pings (Slack sends them; the client treats 30 s of silence as a dead link). Default 5000. */
  pingEveryMs?: number;
  /** How long a delivery waits for its ack (Slack: 3 s, then the user sees an error). Default 10000. */
  ackTimeoutMs?: number;
}

export interface SocketModeServer {
  /** The `apps.connections.open` Web API method. */
  open(request: ApiRequest): ApiReply;
  /** HTTP upgrade on `/link/?ticket=…`; false when the request is not for this server. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Connections that have been greeted and not closed. */
  readonly connectionCount: number;
  /** Connections ever greeted (a reconnect makes it grow). */
  readonly connectionsOpened: number;
  /** Sends one envelope over an open connection (round-robin) and resolves with the ack's payload. */
  deliver(
    type: EnvelopeType,
    payload: unknown,
    options?: { retryAttempt?: number; retryReason?: string },
  ): Promise<Record<string, unknown> | undefined>;
  /** A server-initiated `disconnect` on every open connection; the server closes any the app keeps. */
  disconnect(reason?: 'warning' | 'refresh_requested' | 'link_disabled'): void;
  close(): void;
}

interface Pending {
  resolve(payload: Record<string, unknown> | undefined): void;
}

export function createSocketModeServer(
  options: SocketModeServerOptions,
  origin: () => string,
): SocketModeServer {
  const tickets = new Set<string>();
  const greeted: WebSocket[] = [];
  const pending = new Map<string, Pending>();
  const wss = new WebSocketServer({ noServer: true });
  let opened = 0;
  let next = 0;
  const ackTimeoutMs = options.ackTimeoutMs ?? 10_000;

  const ping = setInterval(() => {
    for (const socket of greeted) socket.ping(`ping ${Date.now()}`);
  }, options.pingEveryMs ?? 5000);
  ping.unref();

  const onMessage = (data: RawData) => {
    let message: { envelope_id?: unknown; payload?: unknown };
    try {
      message = JSON.parse(data.toString()) as typeof message;
    } catch {
      return; // Slack ignores what it cannot parse
    }
    const waiting = typeof message.envelope_id === 'string' ? pending.get(message.envelope_id) : undefined;
    if (!waiting) return;
    pending.delete(message.envelope_id as string);
    const payload = message.payload as Record<string, unknown> | undefined;
    waiting.resolve(payload && Object.keys(payload).length > 0 ? payload : undefined);
  };

  const accept = (socket: WebSocket) => {
    greeted.push(socket);
    opened += 1;
    socket.on('message', onMessage);
    socket.on('close', () => {
      const at = greeted.indexOf(socket);
      if (at >= 0) greeted.splice(at, 1);
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: greeted.length,
        debug_info: { host: 'applink-local-slack', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: options.appId },
      }),
    );
  };

  return {
    open(request) {
      const token = /^Bearer\s+(\S+)$/i.exec(request.authorization ?? '')?.[1] ?? request.args.token;
      const body = (payload: Record<string, unknown>): ApiReply => ({
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(payload),
      });
      if (!token) return body({ ok: false, error: 'not_authed' });
      // A bot token here is Slack's most common Socket Mode mistake.
      if (token !== options.appToken) return body({ ok: false, error: 'invalid_auth' });
      const ticket = randomBytes(12).toString('hex');
      tickets.add(ticket);
      const ws = origin().replace(/^http/, 'ws');
      return body({ ok: true, url: `${ws}/link/?ticket=${ticket}&app_id=${options.appId}` });
    },
    upgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://local.invalid');
      if (url.pathname !== '/link/' && url.pathname !== '/link') return false;
      const ticket = url.searchParams.get('ticket') ?? '';
      if (!tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
        return true;
      }
      wss.handleUpgrade(req, socket, head, accept);
      return true;
    },
    get connectionCount() {
      return greeted.length;
    },
    get connectionsOpened() {
      return opened;
    },
    deliver(type, payload, deliverOptions = {}) {
      const open = greeted.filter((socket) => socket.readyState === socket.OPEN);
      if (open.length === 0) {
        return Promise.reject(
          new Error('local Slack: no Socket Mode connection from the app (dispatch_failed)'),
        );
      }
      const socket = open[next++ % open.length]!;
      const envelopeId = randomUUID();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(envelopeId);
          reject(
            new Error(`local Slack: no ack for ${type} envelope ${envelopeId} within ${ackTimeoutMs} ms`),
          );
        }, ackTimeoutMs);
        pending.set(envelopeId, {
          resolve: (ack) => {
            clearTimeout(timer);
            resolve(ack);
          },
        });
        socket.send(
          JSON.stringify({
            envelope_id: envelopeId,
            type,
            payload,
            accepts_response_payload: type !== 'events_api',
            retry_attempt: deliverOptions.retryAttempt ?? 0,
            retry_reason: deliverOptions.retryReason ?? '',
          }),
        );
      });
    },
    disconnect(reason = 'refresh_requested') {
      for (const socket of [...greeted]) {
        socket.send(
          JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-local-slack' } }),
        );
        // Slack drops the link a little later whether or not the app closed it.
        setTimeout(() => socket.terminate(), 10_000).unref();
      }
    },
    close() {
      clearInterval(ping);
      for (const socket of greeted) socket.terminate();
      wss.close();
    },
  };
}

/**
 * The envelope Slack sends over Socket Mode for what it would otherwise POST to the Request URL:
 * a JSON body is an Events API callback; a form with `payload` is an interaction; any other form
 * is a slash command (its fields as a JSON object).
 */
export function envelopeForRequest(
  rawBody: string,
  contentType: string,
): { type: EnvelopeType; payload: unknown } {
  if (contentType.startsWith('application/json')) return { type: 'events_api', payload: JSON.parse(rawBody) };
  const form = new URLSearchParams(rawBody);
  const interaction = form.get('payload');
  if (interaction !== null) return { type: 'interactive', payload: JSON.parse(interaction) };
  return { type: 'slash_commands', payload: Object.fromEntries(form) };
}
