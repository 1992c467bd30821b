/**
 * The local Slack: a stateful Web API fake on 127.0.0.1 for tests and the sandbox. Layers, outermost first:
 * `server.ts` (HTTP routes) → `dispatcher.ts` (auth, faults, call log) → `methods/` (one handler per Web API
 * method, over the plain Maps in `state.ts`). This file only wires them and offers seeding and read access.
 */
import { EventEmitter } from 'node:events';
import { type ClockLike, toMillisClock } from '../millis-clock.js';
import { createCallLog } from './call-log.js';
import { lookupChannel } from './conversation-access.js';
import { createDispatcher } from './dispatcher.js';
import { createFaultRegistry } from './faults.js';
import { applyResponseMessage, resolveViewSubmission, type ViewSubmissionOutcome } from './interactions.js';
import { appendMessage, findMessage, isTopLevel, threadReplies } from './message-store.js';
import { receiveUpload } from './methods/files.js';
import { slackMethods } from './methods/index.js';
import { addPin, removePin } from './methods/pins.js';
import { addReaction, removeReaction } from './methods/reactions.js';
import { renderChannel, renderFile } from './render.js';
import { createResponseUrl, listResponses, postToResponseUrl, resolveContext } from './response-urls.js';
import { addChannel, addUser, type NewChannel, type NewUser, seedWorkspace } from './seed.js';
import { createFakeHttpServer } from './server.js';
import { restoreState, snapshotState } from './snapshot.js';
import { createSocketModeServer, type SocketModeServer } from './socket-mode.js';
import { clearState, createFakeState, type FakeConfig } from './state.js';
import { issueTrigger } from './triggers.js';
import type {
  CallRecord,
  ChannelRecord,
  FakeChange,
  FakeFault,
  FakeView,
  PinRecord,
  ResponseUrlContext,
  ResponseUrlPost,
  SlackBlock,
  SlackBookmark,
  SlackChannel,
  SlackEphemeral,
  SlackFile,
  SlackMessage,
  SlackUser,
  SlackUsergroup,
} from './types.js';
import { closeModal } from './view-store.js';

export { BLOCK_LIMITS, blockLimitProblems } from './block-limits.js';
export type { ViewSubmissionOutcome } from './interactions.js';
export type { NewChannel, NewUser } from './seed.js';
export type { FakeConfig } from './state.js';
export type * from './types.js';

export interface SlackFakeOptions {
  /** Token the app must send as `Authorization: Bearer …`. Default `xoxb-sandbox-token`. */
  botToken?: string;
  /** Default `UBOT00001`. */
  botUserId?: string;
  /** Default `BBOT00001`. */
  botId?: string;
  /** Default `incident-bot`. */
  botName?: string;
  /** Default `A0SANDBOX01`. */
  appId?: string;
  /** App-level token for Socket Mode's `apps.connections.open`. Default `xapp-1-A0SANDBOX01-sandbox`. */
  appToken?: string;
  /** Default `T00000001`. */
  teamId?: string;
  /** Default `Sandbox`. */
  teamName?: string;
  /** Default `sandbox`. */
  teamDomain?: string;
  /** How long a trigger id may open a modal. Default 3000 (Slack's 3 s). */
  triggerIdTtlMs?: number;
  /** Posts a response_url accepts. Default 5. */
  responseUrlMaxUses?: number;
  /** How long a response_url lives. Default 30 minutes. */
  responseUrlTtlMs?: number;
  /** Epoch milliseconds, or a `{ now(): Date }` clock. Default `Date.now`. */
  clock?: ClockLike;
}

/** A local, stateful Slack workspace speaking the Web API over HTTP. */
export interface SlackFake {
  readonly config: Readonly<FakeConfig>;
  /** `'change'` with a `FakeChange` after every state mutation. */
  readonly events: EventEmitter<{ change: [FakeChange] }>;
  /** `http://127.0.0.1:PORT/api/`: WebClient's `slackApiUrl`. Only after `start()`. */
  readonly apiUrl: string;
  /** `http://127.0.0.1:PORT`. Only after `start()`. */
  readonly baseUrl: string;
  start(port?: number, host?: string): Promise<void>;
  stop(): Promise<void>;
  /** Socket Mode: `apps.connections.open` and the WebSocket link (see socket-mode.ts). */
  readonly socketMode: SocketModeServer;
  /** Back to a fresh workspace (bot + #general); call log and faults are cleared too. */
  reset(): void;
  /** The workspace as JSON (users, channels, messages, pins, views, files…), to persist across restarts. */
  exportState(): string;
  importState(json: string): void;

  addUser(user: NewUser): SlackUser;
  addChannel(channel: NewChannel): SlackChannel;
  /** A message typed by a person (the bot's own messages go through the Web API). */
  postAsUser(message: {
    userId: string;
    channelId: string;
    text: string;
    threadTs?: string;
    blocks?: SlackBlock[];
  }): SlackMessage;

  /** A person pins or un-pins a message, as in Slack's message menu (no event is sent: the driver does that). */
  pinAsUser(input: { userId: string; channelId: string; ts: string; pinned: boolean }): SlackMessage;
  /** A person adds or removes an emoji reaction (`name` without colons). */
  reactAsUser(input: {
    userId: string;
    channelId: string;
    ts: string;
    name: string;
    added: boolean;
  }): SlackMessage;

  issueTriggerId(userId?: string): string;
  createResponseUrl(context?: ResponseUrlContext): string;
  responses(url?: string): ResponseUrlPost[];
  /** Shows a slash command's ack body or a response_url post where Slack would. */
  applyResponseMessage(context: ResponseUrlContext, payload: unknown): void;
  /** Applies the app's answer to a view_submission to the modal stack. */
  resolveViewSubmission(viewId: string, response: { status: number; body: unknown }): ViewSubmissionOutcome;
  /** The user dismissed a modal (Cancel / ×): it and anything pushed above it close. */
  closeView(viewId: string): void;

  injectFault(method: string, fault: FakeFault, times?: number): void;
  clearFaults(): void;
  calls(method?: string): CallRecord[];
  resetCalls(): void;

  getUser(userId: string): SlackUser | undefined;
  /** As `users.lookupByEmail` finds people. */
  findUserByEmail(email: string): SlackUser | undefined;
  /** Everyone in the workspace, the bot included. */
  listUsers(): SlackUser[];
  /** By id, name or `#name`. */
  getChannel(idOrName: string): SlackChannel | undefined;
  listChannels(): SlackChannel[];
  members(channel: string): string[];
  /** Oldest first; thread replies only with `includeReplies`. */
  messages(channel: string, options?: { includeReplies?: boolean }): SlackMessage[];
  getMessage(channel: string, ts: string): SlackMessage | undefined;
  /** The replies of a thread, oldest first, without the parent. */
  replies(channel: string, threadTs: string): SlackMessage[];
  ephemerals(channel?: string): SlackEphemeral[];
  pins(channel: string): PinRecord[];
  bookmarks(channel: string): SlackBookmark[];
  getView(viewId: string): FakeView | undefined;
  /** Open modals, root first per user. */
  openViews(userId?: string): FakeView[];
  homeView(userId: string): FakeView | undefined;
  /** Completed uploads. */
  files(): SlackFile[];
  fileContent(fileId: string): Buffer;
  dmChannelId(userId: string): string | undefined;
  /** User groups, disabled ones included, with their members. */
  usergroups(): SlackUsergroup[];
  /** The workspace's plan: `{ usergroups: false }` is Slack's free plan (usergroups.* → `paid_teams_only`). */
  setPlan(plan: { usergroups: boolean }): void;
}

export function createSlackFake(options: SlackFakeOptions = {}): SlackFake {
  const config: FakeConfig = {
    botToken: options.botToken ?? 'xoxb-sandbox-token',
    botUserId: options.botUserId ?? 'UBOT00001',
    botId: options.botId ?? 'BBOT00001',
    botName: options.botName ?? 'incident-bot',
    appId: options.appId ?? 'A0SANDBOX01',
    teamId: options.teamId ?? 'T00000001',
    teamName: options.teamName ?? 'Sandbox',
    teamDomain: options.teamDomain ?? 'sandbox',
    triggerIdTtlMs: options.triggerIdTtlMs ?? 3000,
    responseUrlMaxUses: options.responseUrlMaxUses ?? 5,
    responseUrlTtlMs: options.responseUrlTtlMs ?? 30 * 60 * 1000,
  };
  const events = new EventEmitter<{ change: [FakeChange] }>();
  const state = createFakeState(config, {
    now: toMillisClock(options.clock),
    emit: (c) => events.emit('change', c),
  });
  const faults = createFaultRegistry();
  const log = createCallLog();
  const dispatcher = createDispatcher({ state, methods: slackMethods, faults, log });
  let origin: string | undefined;
  seedWorkspace(state);

  const socketMode = createSocketModeServer(
    { appToken: options.appToken ?? `xapp-1-${config.appId}-sandbox`, appId: config.appId },
    () => started(),
  );
  const server = createFakeHttpServer({
    api: (method, request) =>
      method === 'apps.connections.open'
        ? Promise.resolve(socketMode.open(request))
        : dispatcher.call(method, request),
    upgrade: (req, socket, head) => socketMode.upgrade(req, socket, head),
    upload: (token, bytes) => receiveUpload(state, token, bytes),
    responseUrl: (id, body) => postToResponseUrl(state, id, body),
    download: (fileId) => {
      const file = state.files.get(fileId);
      if (!file?.content) return { status: 404, body: 'file_not_found' };
      return {
        status: 200,
        headers: { 'content-type': renderFile(state, file).mimetype },
        body: file.content,
      };
    },
  });

  const started = (): string => {
    if (origin === undefined) throw new Error('slack fake: call start() first');
    return origin;
  };
  const channelRecord = (idOrName: string): ChannelRecord => {
    const channel = lookupChannel(state, idOrName);
    if (!channel) throw new Error(`slack fake: unknown channel ${idOrName}`);
    return channel;
  };
  const copy = structuredClone;

  return {
    config,
    events,
    get apiUrl() {
      return `${started()}/api/`;
    },
    get baseUrl() {
      return started();
    },
    async start(port = 0, host = '127.0.0.1') {
      if (origin !== undefined) throw new Error('slack fake: already started');
      origin = await server.listen(port, host);
      state.baseUrl = origin;
    },
    socketMode,
    async stop() {
      socketMode.close();
      await server.close();
      origin = undefined;
    },
    exportState: () => snapshotState(state),
    importState(text) {
      restoreState(state, text);
      events.emit('change', { type: 'channel' } as FakeChange);
    },
    reset() {
      clearState(state);
      faults.clear();
      log.clear();
      seedWorkspace(state);
    },

    addUser: (user) => copy(addUser(state, user)),
    addChannel: (channel) => renderChannel(state, addChannel(state, channel)),
    pinAsUser({ userId, channelId, ts, pinned }) {
      const channel = channelRecord(channelId);
      if (!channel.members.has(userId)) throw new Error(`slack fake: ${userId} is not in ${channel.id}`);
      if (pinned) addPin(state, channel.id, ts, userId);
      else removePin(state, channel.id, ts);
      return copy(findMessage(state, channel.id, ts)!);
    },
    reactAsUser({ userId, channelId, ts, name, added }) {
      const channel = channelRecord(channelId);
      if (added) addReaction(state, channel.id, ts, name, userId);
      else removeReaction(state, channel.id, ts, name, userId);
      return copy(findMessage(state, channel.id, ts)!);
    },
    postAsUser({ userId, channelId, text, threadTs, blocks }) {
      const channel = channelRecord(channelId);
      if (!channel.members.has(userId)) throw new Error(`slack fake: ${userId} is not in ${channel.id}`);
      const message = appendMessage(state, channel.id, {
        user: userId,
        team: config.teamId,
        text,
        ...(blocks ? { blocks: copy(blocks) } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
      return copy(message);
    },

    issueTriggerId: (userId) => issueTrigger(state, userId),
    createResponseUrl(context = {}) {
      started();
      return createResponseUrl(state, context);
    },
    responses: (url) => listResponses(state, url),
    applyResponseMessage: (context, payload) =>
      applyResponseMessage(state, resolveContext(state, context), payload),
    resolveViewSubmission: (viewId, response) => resolveViewSubmission(state, viewId, response),
    closeView: (viewId) => closeModal(state, viewId),

    injectFault: (method, fault, times) => faults.inject(method, fault, times),
    clearFaults: () => faults.clear(),
    calls: (method) => log.list(method),
    resetCalls: () => log.clear(),

    getUser: (userId) => {
      const user = state.users.get(userId);
      return user ? copy(user) : undefined;
    },
    listUsers: () => [...state.users.values()].map((user) => copy(user)),
    findUserByEmail: (email) => {
      const lower = email.toLowerCase();
      const user = [...state.users.values()].find((u) => u.profile?.email?.toLowerCase() === lower);
      return user ? copy(user) : undefined;
    },
    getChannel: (idOrName) => {
      const channel = lookupChannel(state, idOrName);
      return channel ? renderChannel(state, channel, { numMembers: true }) : undefined;
    },
    listChannels: () =>
      [...state.channels.values()].map((c) => renderChannel(state, c, { numMembers: true })),
    members: (channel) => [...channelRecord(channel).members],
    messages(channel, { includeReplies = false } = {}) {
      const list = state.messages.get(channelRecord(channel).id) ?? [];
      return copy(includeReplies ? list : list.filter(isTopLevel));
    },
    getMessage: (channel, ts) => {
      const message = findMessage(state, channelRecord(channel).id, ts);
      return message ? copy(message) : undefined;
    },
    replies: (channel, threadTs) => copy(threadReplies(state, channelRecord(channel).id, threadTs)),
    ephemerals(channel) {
      const id = channel === undefined ? undefined : channelRecord(channel).id;
      return copy(state.ephemerals.filter((e) => id === undefined || e.channel === id));
    },
    pins: (channel) => copy(state.pins.get(channelRecord(channel).id) ?? []),
    bookmarks: (channel) => copy(state.bookmarks.get(channelRecord(channel).id) ?? []),
    getView: (viewId) => {
      const view = state.views.get(viewId);
      return view ? copy(view) : undefined;
    },
    openViews(userId) {
      const stacks =
        userId === undefined ? [...state.modalStacks.values()] : [state.modalStacks.get(userId) ?? []];
      return stacks.flat().flatMap((id) => {
        const view = state.views.get(id);
        return view ? [copy(view)] : [];
      });
    },
    homeView(userId) {
      const id = state.homeViews.get(userId);
      const view = id ? state.views.get(id) : undefined;
      return view ? copy(view) : undefined;
    },
    files: () => [...state.files.values()].filter((f) => f.completed).map((f) => renderFile(state, f)),
    fileContent(fileId) {
      const content = state.files.get(fileId)?.content;
      if (!content) throw new Error(`slack fake: no uploaded content for file ${fileId}`);
      return Buffer.from(content);
    },
    dmChannelId: (userId) => state.dms.get(userId),
    usergroups: () => [...state.usergroups.values()].map((group) => copy(group)),
    setPlan(plan) {
      state.plan.usergroups = plan.usergroups;
    },
  };
}
