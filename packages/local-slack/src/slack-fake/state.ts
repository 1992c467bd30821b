import { createIdFactory, createTsSource, type IdFactory } from './ids.js';
import type {
  ChannelRecord,
  FakeChange,
  FakeView,
  FileRecord,
  PinRecord,
  ResponseUrlContext,
  ResponseUrlPost,
  SlackBookmark,
  SlackEphemeral,
  SlackMessage,
  SlackUser,
  SlackUsergroup,
} from './types.js';

/** Settings of one fake workspace (see `SlackFakeOptions` for the defaults). */
export interface FakeConfig {
  botToken: string;
  botUserId: string;
  botId: string;
  botName: string;
  appId: string;
  teamId: string;
  teamName: string;
  teamDomain: string;
  triggerIdTtlMs: number;
  responseUrlMaxUses: number;
  responseUrlTtlMs: number;
}

export interface TriggerRecord {
  userId: string | undefined;
  issuedAt: number;
  used: boolean;
}

export interface ResponseUrlRecord {
  url: string;
  context: ResponseUrlContext;
  createdAt: number;
  uses: number;
}

/**
 * Everything the fake workspace holds, in plain Maps. Method handlers read and write it directly; they
 * validate first and mutate last, then `emit` a change so watchers (the browser sandbox) can refresh.
 */
export interface FakeState {
  readonly config: FakeConfig;
  readonly ids: IdFactory;
  now(): number;
  nextTs(channelId?: string): string;
  emit(change: FakeChange): void;
  /** Origin of the URLs the fake hands out (uploads, response_url, permalinks); set by `start()`. */
  baseUrl: string;
  readonly users: Map<string, SlackUser>;
  readonly channels: Map<string, ChannelRecord>;
  /** Per conversation, every message including thread replies, in `ts` order. */
  readonly messages: Map<string, SlackMessage[]>;
  readonly ephemerals: SlackEphemeral[];
  readonly pins: Map<string, PinRecord[]>;
  readonly bookmarks: Map<string, SlackBookmark[]>;
  readonly views: Map<string, FakeView>;
  /** Open modal ids per user, root first (Slack allows three). */
  readonly modalStacks: Map<string, string[]>;
  /** App Home view id per user. */
  readonly homeViews: Map<string, string>;
  readonly files: Map<string, FileRecord>;
  /** Upload URL token → file id, for the bytes POST of files upload v2. */
  readonly uploads: Map<string, string>;
  /** User id → the bot's DM channel with that user. */
  readonly dms: Map<string, string>;
  readonly triggers: Map<string, TriggerRecord>;
  readonly responseUrls: Map<string, ResponseUrlRecord>;
  readonly responsePosts: ResponseUrlPost[];
  /** User groups by id. */
  readonly usergroups: Map<string, SlackUsergroup>;
  /** What the workspace's plan allows: free workspaces have no user groups (`paid_teams_only`). */
  readonly plan: { usergroups: boolean };
}

export function createFakeState(
  config: FakeConfig,
  deps: { now: () => number; emit: (change: FakeChange) => void },
): FakeState {
  return {
    config,
    ids: createIdFactory(),
    now: deps.now,
    nextTs: createTsSource(deps.now),
    emit: deps.emit,
    baseUrl: 'http://127.0.0.1',
    users: new Map(),
    channels: new Map(),
    messages: new Map(),
    ephemerals: [],
    pins: new Map(),
    bookmarks: new Map(),
    views: new Map(),
    modalStacks: new Map(),
    homeViews: new Map(),
    files: new Map(),
    uploads: new Map(),
    dms: new Map(),
    triggers: new Map(),
    responseUrls: new Map(),
    responsePosts: [],
    usergroups: new Map(),
    plan: { usergroups: true },
  };
}

/** Empties the workspace (ids already handed out stay reserved so stale references never match). */
export function clearState(state: FakeState): void {
  for (const value of Object.values(state)) {
    if (value instanceof Map) value.clear();
  }
  state.ephemerals.length = 0;
  state.responsePosts.length = 0;
  state.plan.usergroups = true;
}

export function nowSeconds(state: FakeState): number {
  return Math.floor(state.now() / 1000);
}
