/**
 * The sandbox page: a small Slack in the browser over the local Slack. The page (`index.html`, `app.js`
 * and the ES modules it imports from `page/`, `style.css`, all beside this file, no build step) reads
 * what a chosen person sees from the fake and acts through the signed-request driver, so every click
 * reaches the bot exactly as Slack would send it.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { OutboxLog } from '../outbox/outbox-log.js';
import type { WebhookAnswer } from '../outbox/twilio-outbox.js';
import type { SlackDriver } from '../slack-driver.js';
import type { SlackFake } from '../slack-fake/index.js';
import { createSandboxActions } from './sandbox-actions.js';
import { createEventStreams } from './sandbox-events.js';
import { escapeHtml, foreignRequest, RequestError, readJson, send, sendJson } from './sandbox-http.js';
import { createSandboxReader } from './sandbox-state.js';

export interface SandboxUser {
  id: string;
  /** How the switcher names them, e.g. "Riley (reporter)". */
  label: string;
}

/**
 * A control of the app's own shown in the sidebar (e.g. "Send a test alert"): the page posts its id
 * to `/api/tool` and the server runs it; `run` answers like the driver does (the app's status and body).
 */
export interface SandboxTool {
  /** Kebab-case; the button's test id is `tool-<id>`. */
  id: string;
  label: string;
  /** A line under the heading saying what the tools do. */
  hint?: string;
  run(): Promise<{ status: number; body: unknown }>;
}

export interface SandboxServerOptions {
  fake: SlackFake;
  driver: SlackDriver;
  /** The people one can act as, in switcher order. */
  users: SandboxUser[];
  /** Shown in the page title and sidebar. Default "incident-bot sandbox". */
  title?: string;
  /** Where index.html, app.js, page/ and style.css live. Default: this module's folder (or `src/web`). */
  assetsDir?: string;
  /** Milliseconds between SSE heartbeat comments. Default 15 000. */
  heartbeatMs?: number;
  /** The app's slash commands (from manifest.yml); any other `/command` is answered with what exists. */
  slashCommands?: string[];
  /** The app's message shortcuts (from manifest.yml), offered in each message's menu. */
  messageShortcuts?: { callbackId: string; name: string }[];
  /** Controls of the app's own, listed under "Tools" in the sidebar. */
  tools?: SandboxTool[];
  /**
   * What the provider fakes were sent (email, SMS, calls, push): with it, the page has an Outbox
   * panel listing them live, newest first.
   */
  outbox?: OutboxLog;
  /**
   * Answers an SMS or call of the outbox as the person would (Twilio's signed webhook: "ACK", the
   * digit 1); with it, those entries have a button. `/api/outbox/reply` takes the entry's id.
   */
  outboxReply?: (id: string) => Promise<WebhookAnswer>;
}

export interface SandboxServer {
  /** Handles `/`, the page's assets and `/api/…`; returns false (leaving `res` alone) for anything else. */
  handler(req: IncomingMessage, res: ServerResponse): boolean;
  /** Ends every open event stream (call before closing the HTTP server, which waits for them). */
  close(): void;
}

const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

/** The ES modules `app.js` imports, in `page/` beside it: kebab-case names only, so no path escapes. */
const PAGE_MODULE = /^\/page\/[a-z][a-z0-9-]*\.js$/;

function assetFor(path: string): { file: string; type: string } | undefined {
  if (PAGE_MODULE.test(path)) return { file: path.slice(1), type: 'text/javascript; charset=utf-8' };
  return ASSETS[path];
}

function defaultAssetsDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  if (existsSync(`${here}index.html`)) return here;
  // Compiled to dist/web/: the assets stay in the source tree.
  const source = fileURLToPath(new URL('../../src/web/', import.meta.url));
  return existsSync(`${source}index.html`) ? source : here;
}

export function createSandboxServer(options: SandboxServerOptions): SandboxServer {
  const { fake, driver, users } = options;
  const title = options.title ?? 'incident-bot sandbox';
  const assetsDir = options.assetsDir ?? defaultAssetsDir();
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const streams = createEventStreams(fake, heartbeatMs, options.outbox);
  const { knownUser, userName, stateFor, repliesOf } = createSandboxReader({
    fake,
    userIds: users.map((u) => u.id),
    title,
    messageShortcuts: options.messageShortcuts ?? [],
  });
  const actions = createSandboxActions({
    fake,
    driver,
    knownUser,
    slashCommands: options.slashCommands,
    tools: options.tools ?? [],
    outboxReply: options.outboxReply,
  });

  // ---------- HTTP ----------
  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const asset = assetFor(path);
    if (asset && (method === 'GET' || method === 'HEAD')) {
      if (!existsSync(`${assetsDir}${asset.file}`)) {
        sendJson(res, 404, { error: `no file ${path}` });
        return;
      }
      let content = readFileSync(`${assetsDir}${asset.file}`, 'utf8');
      if (asset.file === 'index.html') content = content.replaceAll('{{TITLE}}', escapeHtml(title));
      send(res, 200, content, asset.type);
      return;
    }
    if (method === 'GET' && path === '/api/users') {
      sendJson(res, 200, {
        title,
        users: users.map((u) => ({ id: u.id, label: u.label, name: userName(u.id) })),
        commands: options.slashCommands ?? [],
        tools: (options.tools ?? []).map(({ id, label, hint }) => ({ id, label, hint: hint ?? null })),
        outbox: options.outbox !== undefined,
        outboxReplies: options.outbox !== undefined && options.outboxReply !== undefined,
      });
      return;
    }
    if (method === 'GET' && path === '/api/outbox') {
      if (!options.outbox) {
        sendJson(res, 404, { error: 'this sandbox has no outbox' });
        return;
      }
      sendJson(res, 200, { entries: options.outbox.list() });
      return;
    }
    if (method === 'GET' && path === '/api/state') {
      sendJson(res, 200, stateFor(knownUser(url.searchParams.get('user'))));
      return;
    }
    if (method === 'GET' && path === '/api/replies') {
      const channel = url.searchParams.get('channel');
      const ts = url.searchParams.get('ts');
      if (!channel || !ts) throw new RequestError('missing channel or ts');
      sendJson(res, 200, repliesOf(channel, ts));
      return;
    }
    if (method === 'GET' && path.startsWith('/api/files/')) {
      const id = decodeURIComponent(path.slice('/api/files/'.length));
      const file = fake.files().find((f) => f.id === id);
      if (!file) {
        sendJson(res, 404, { error: `no file ${id}` });
        return;
      }
      const type = file.mimetype.startsWith('text/') ? `${file.mimetype}; charset=utf-8` : file.mimetype;
      res.writeHead(200, {
        'content-type': type,
        'content-disposition': `inline; filename="${file.name.replace(/[^\w.-]/g, '_')}"`,
        'cache-control': 'no-store',
      });
      res.end(fake.fileContent(id));
      return;
    }
    if (method === 'GET' && path === '/api/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write('retry: 1000\n: connected\n\n');
      streams.add(res);
      req.on('close', () => streams.remove(res));
      return;
    }
    const action = actions[path];
    if (action) {
      if (method !== 'POST') {
        sendJson(res, 405, { error: `${path} takes POST` });
        return;
      }
      sendJson(res, 200, await action(await readJson(req)));
      return;
    }
    sendJson(res, 404, { error: `no route ${method} ${path}` });
  };

  return {
    handler(req, res) {
      const url = new URL(req.url ?? '/', 'http://sandbox.local');
      if (!assetFor(url.pathname) && !url.pathname.startsWith('/api/')) return false;
      const refused = foreignRequest(req);
      if (refused) {
        sendJson(res, 403, { error: refused });
        return true;
      }
      handle(req, res, url).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (res.headersSent) {
          res.end();
          return;
        }
        // Whatever the driver or the fake refused (unknown view, required input empty…) is the caller's.
        sendJson(res, 400, { error: message });
      });
      return true;
    },
    close() {
      streams.closeAll();
    },
  };
}
