/**
 * The sandbox page: a small Slack in the browser over the local Slack. The page (`index.html`, `app.js`,
 * `style.css` beside this file, no build step) reads what a chosen person sees from the fake and acts
 * through the signed-request driver, so every click reaches the bot exactly as Slack would send it.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { SlackDriver } from '../slack-driver.js';
import type {
  FakeChange,
  FakeView,
  SlackChannel,
  SlackFake,
  SlackFile,
  SlackMessage,
} from '../slack-fake/index.js';

export interface SandboxUser {
  id: string;
  /** How the switcher names them, e.g. "Riley (reporter)". */
  label: string;
}

export interface SandboxServerOptions {
  fake: SlackFake;
  driver: SlackDriver;
  /** The people one can act as, in switcher order. */
  users: SandboxUser[];
  /** Shown in the page title and sidebar. Default "incident-bot sandbox". */
  title?: string;
  /** Where index.html, app.js and style.css live. Default: this module's folder (or `src/web`). */
  assetsDir?: string;
  /** Milliseconds between SSE heartbeat comments. Default 15 000. */
  heartbeatMs?: number;
  /** The app's slash commands (from manifest.yml); any other `/command` is answered with what exists. */
  slashCommands?: string[];
  /** The app's message shortcuts (from manifest.yml), offered in each message's menu. */
  messageShortcuts?: { callbackId: string; name: string }[];
}

export interface SandboxServer {
  /** Handles `/`, the page's assets and `/api/…`; returns false (leaving `res` alone) for anything else. */
  handler(req: IncomingMessage, res: ServerResponse): boolean;
  /** Ends every open event stream (call before closing the HTTP server, which waits for them). */
  close(): void;
}

/** A conversation as the person sees it in the sidebar. */
interface Conversation {
  channel: SlackChannel;
  kind: 'channel' | 'dm';
  /** The channel's name; for the DM, the bot's name. */
  name: string;
  isMember: boolean;
}

/** An error the caller made (bad input, unknown user…): answered 400. */
class RequestError extends Error {}

const MAX_BODY_BYTES = 1024 * 1024;

const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

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
  const botUserId = fake.config.botUserId;
  const botName = fake.config.botName;

  // ---------- event stream: one fake listener fanned out to every open page ----------
  const streams = new Set<ServerResponse>();
  let heartbeat: NodeJS.Timeout | undefined;
  const onChange = (change: FakeChange) => {
    const line = `data: ${JSON.stringify(change)}\n\n`;
    for (const res of streams) res.write(line);
  };
  const addStream = (res: ServerResponse) => {
    if (streams.size === 0) {
      fake.events.on('change', onChange);
      heartbeat = setInterval(() => {
        for (const stream of streams) stream.write(': heartbeat\n\n');
      }, heartbeatMs);
      heartbeat.unref();
    }
    streams.add(res);
  };
  const removeStream = (res: ServerResponse) => {
    if (!streams.delete(res) || streams.size > 0) return;
    fake.events.off('change', onChange);
    clearInterval(heartbeat);
    heartbeat = undefined;
  };

  // ---------- reading what a person sees ----------
  const knownUser = (userId: unknown): string => {
    if (typeof userId !== 'string' || userId === '') throw new RequestError('missing user');
    if (!fake.getUser(userId)) throw new RequestError(`unknown user ${userId}`);
    return userId;
  };
  const userName = (userId: string | undefined): string => {
    if (!userId) return 'unknown';
    if (userId === botUserId) return botName;
    const user = fake.getUser(userId);
    return user ? user.real_name || user.name : userId;
  };
  const fileSummary = (file: SlackFile) => ({
    id: file.id,
    name: file.name,
    title: file.title,
    mimetype: file.mimetype,
    size: file.size,
    url: `/api/files/${encodeURIComponent(file.id)}`,
  });
  const messageSummary = (message: SlackMessage, pinned: Set<string>) => ({
    ts: message.ts,
    user: message.user ?? null,
    author: message.bot_id ? (message.bot_profile?.name ?? botName) : userName(message.user),
    isBot: message.bot_id !== undefined || message.user === botUserId,
    text: message.text,
    blocks: message.blocks ?? [],
    ...(message.subtype ? { subtype: message.subtype } : {}),
    ...(message.thread_ts ? { threadTs: message.thread_ts } : {}),
    replyCount: message.reply_count ?? 0,
    files: (message.files ?? []).map(fileSummary),
    pinned: pinned.has(message.ts),
    edited: message.edited !== undefined,
    reactions: (message.reactions ?? []).map((r) => ({ name: r.name, count: r.count, users: r.users })),
  });
  const viewSummary = (record: FakeView | undefined) => {
    if (!record) return null;
    const { view } = record;
    return {
      id: view.id,
      type: view.type,
      callbackId: view.callback_id,
      title: view.title?.text ?? '',
      submit: view.submit?.text ?? null,
      close: view.close?.text ?? null,
      blocks: view.blocks,
      errors: record.errors ?? {},
    };
  };

  const stateFor = (userId: string) => {
    const channels = fake.listChannels();
    const conversations = channels.flatMap((channel): Conversation[] => {
      const members = fake.members(channel.id);
      const isMember = members.includes(userId);
      if (channel.is_im) {
        // Only the person's own DM with the bot.
        if (channel.user !== userId) return [];
        return [{ channel, kind: 'dm', name: botName, isMember: true }];
      }
      if (channel.is_private && !isMember) return [];
      return [{ channel, kind: 'channel', name: channel.name ?? channel.id, isMember }];
    });
    const ephemerals = fake.ephemerals().filter((e) => e.user === userId);
    const openViews = fake.openViews(userId);
    return {
      title,
      me: { id: userId, name: userName(userId) },
      bot: { id: botUserId, name: botName },
      /** Every workspace person, for `<@U…>` mentions. */
      userNames: Object.fromEntries(
        [...new Set([...users.map((u) => u.id), botUserId])].map((id) => [id, userName(id)]),
      ),
      /** Every channel name the person may see, for `<#C…>` mentions. */
      channelNames: Object.fromEntries(conversations.map((c) => [c.channel.id, c.name])),
      channels: conversations.map(({ channel, kind, name, isMember }) => {
        const pinned = new Set(fake.pins(channel.id).map((pin) => pin.ts));
        return {
          id: channel.id,
          name,
          kind,
          isPrivate: channel.is_private,
          isArchived: channel.is_archived,
          isMember,
          topic: channel.topic?.value ?? '',
          messages: fake.messages(channel.id).map((m) => messageSummary(m, pinned)),
          ephemerals: ephemerals
            .filter((e) => e.channel === channel.id)
            .map((e) => ({
              ts: e.message_ts,
              text: e.text,
              blocks: e.blocks ?? [],
              ...(e.thread_ts ? { threadTs: e.thread_ts } : {}),
            })),
        };
      }),
      shortcuts: options.messageShortcuts ?? [],
      modal: viewSummary(openViews.at(-1)),
      modalDepth: openViews.length,
      home: viewSummary(fake.homeView(userId)),
    };
  };

  const repliesOf = (channelId: string, ts: string) => {
    if (!fake.getChannel(channelId)) throw new RequestError(`unknown channel ${channelId}`);
    const pinned = new Set(fake.pins(channelId).map((pin) => pin.ts));
    const parent = fake.getMessage(channelId, ts);
    return {
      parent: parent ? messageSummary(parent, pinned) : null,
      replies: fake.replies(channelId, ts).map((m) => messageSummary(m, pinned)),
    };
  };

  // ---------- acting through the driver ----------
  const text = (body: Record<string, unknown>, key: string): string => {
    const value = body[key];
    if (typeof value !== 'string' || value === '') throw new RequestError(`missing ${key}`);
    return value;
  };
  const optionalText = (body: Record<string, unknown>, key: string): string | undefined =>
    typeof body[key] === 'string' && body[key] !== '' ? (body[key] as string) : undefined;
  const answer = (response: { status: number; body: unknown }) => ({
    status: response.status,
    body: response.body,
  });
  /** Slack sends nothing to the app (a channel event where the bot is not a member, say). */
  const answerIfSent = (response: { status: number; body: unknown } | null | undefined) =>
    response ? answer(response) : { status: null, body: null };

  /**
   * What Slack's client does to typed text: `@handle` becomes `<@U…|handle>` and `#channel` becomes
   * `<#C…|channel>` for people and channels that exist (`/incident` asks for this with should_escape).
   */
  const escapeMentions = (input: string): string =>
    input
      .replace(/(^|[\s(])@([a-z0-9][a-z0-9._-]*)/gi, (whole, before: string, handle: string) => {
        const user = fake.listUsers().find((u) => u.name.toLowerCase() === handle.toLowerCase());
        return user ? `${before}<@${user.id}|${user.name}>` : whole;
      })
      .replace(/(^|[\s(])#([a-z0-9][a-z0-9_-]*)/gi, (whole, before: string, name: string) => {
        const channel = fake.getChannel(name.toLowerCase());
        return channel && !channel.is_im ? `${before}<#${channel.id}|${channel.name}>` : whole;
      });

  const actions: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    async '/api/command'(body) {
      const userId = knownUser(body.user);
      const channelId = text(body, 'channel');
      const input = escapeMentions(text(body, 'text').trim());
      if (input.startsWith('/')) {
        const command = input.split(/\s+/, 1)[0] ?? '/incident';
        const known = options.slashCommands;
        if (known && !known.includes(command)) {
          throw new RequestError(
            `${command} is not a command of this app. Try ${known.map((c) => `${c} help`).join(' or ')}.`,
          );
        }
        const argText = input.slice(command.length).trim();
        return answer(await driver.slashCommand({ userId, channelId, command, text: argText }));
      }
      const threadTs = optionalText(body, 'threadTs');
      const response = await driver.userMessage({
        userId,
        channelId,
        text: input,
        ...(threadTs ? { threadTs } : {}),
      });
      return { ...answer(response), ts: response.message.ts };
    },
    async '/api/click'(body) {
      const value = optionalText(body, 'value');
      return answer(
        await driver.clickButton({
          userId: knownUser(body.user),
          channelId: text(body, 'channel'),
          messageTs: text(body, 'ts'),
          actionId: text(body, 'actionId'),
          ...(value !== undefined ? { value } : {}),
        }),
      );
    },
    /** Pin or un-pin from the message menu. */
    async '/api/pin'(body) {
      const { response } = await driver.pinMessage({
        userId: knownUser(body.user),
        channelId: text(body, 'channel'),
        ts: text(body, 'ts'),
        pinned: body.pinned === true,
      });
      return answerIfSent(response);
    },
    /** Add or remove an emoji reaction (`name` without colons). */
    async '/api/react'(body) {
      const { response } = await driver.react({
        userId: knownUser(body.user),
        channelId: text(body, 'channel'),
        ts: text(body, 'ts'),
        name: text(body, 'name'),
        added: body.added === true,
      });
      return answerIfSent(response);
    },
    /** A message shortcut from the message menu. */
    async '/api/shortcut'(body) {
      return answer(
        await driver.messageShortcut({
          userId: knownUser(body.user),
          channelId: text(body, 'channel'),
          ts: text(body, 'ts'),
          callbackId: text(body, 'callbackId'),
        }),
      );
    },
    async '/api/view-click'(body) {
      return answer(
        await driver.clickViewButton({
          userId: knownUser(body.user),
          viewId: text(body, 'viewId'),
          actionId: text(body, 'actionId'),
          ...(isRecord(body.values) ? { values: body.values as never } : {}),
        }),
      );
    },
    async '/api/submit'(body) {
      const viewId = text(body, 'viewId');
      const values = isRecord(body.values) ? body.values : {};
      const response = await driver.submitView({
        userId: knownUser(body.user),
        viewId,
        values: values as never,
      });
      return {
        ...answer(response),
        outcome: response.outcome,
        errors: response.outcome === 'errors' ? (fake.getView(viewId)?.errors ?? {}) : {},
      };
    },
    /** The person opens the Home tab: Slack sends `app_home_opened`, so the bot can publish the view. */
    async '/api/home-opened'(body) {
      const userId = knownUser(body.user);
      const channel = fake.dmChannelId(userId);
      return answer(
        await driver.event({
          event: { type: 'app_home_opened', user: userId, tab: 'home', ...(channel ? { channel } : {}) },
        }),
      );
    },
    async '/api/close-view'(body) {
      const response = await driver.closeView({ userId: knownUser(body.user), viewId: text(body, 'viewId') });
      return answerIfSent(response);
    },
  };

  // ---------- HTTP ----------
  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const asset = ASSETS[path];
    if (asset && (method === 'GET' || method === 'HEAD')) {
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
      });
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
      addStream(res);
      req.on('close', () => removeStream(res));
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
      if (!ASSETS[url.pathname] && !url.pathname.startsWith('/api/')) return false;
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
      for (const res of [...streams]) {
        removeStream(res);
        res.end();
      }
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
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

function send(res: ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8');
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
