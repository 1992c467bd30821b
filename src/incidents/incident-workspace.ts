import type { SetupHeadline } from './incident-setup-store.js';
import type { Incident, SetupStep } from './incident-types.js';

/**
 * A workspace call refused for good (no retry will change the answer: a missing permission, a
 * restricted action, too many pins). Anything else a workspace method throws is transient.
 */
export class WorkspaceRefusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'WorkspaceRefusal';
  }
}

/** What the set-up tells people; the adapter words and renders it. */
export type SetupNotice =
  | { kind: 'declared'; incident: Incident }
  | { kind: 'invites_failed'; failures: { userId: string; reason: string }[] }
  | { kind: 'step_failed'; incident: Incident; step: SetupStep; reason: string }
  | { kind: 'channel_refused'; incident: Incident; reason: string }
  | { kind: 'stuck'; incident: Incident; step: SetupStep; reason: string };

export type ChannelCreation =
  | { ok: true; id: string; name: string }
  | { ok: false; why: 'name_taken' | 'invalid_name' };

/**
 * The chat workspace as the incident set-up needs it (the Slack adapter implements it). Methods
 * throw `WorkspaceRefusal` when refused for good; other errors are transient and retried.
 */
export interface IncidentWorkspace {
  /** The bot's own user id: never invited, and the creator of the channels it may adopt. */
  botUserId(): Promise<string>;
  /** Creates a channel, or says why the workspace will not take that name. */
  createChannel(name: string, isPrivate: boolean): Promise<ChannelCreation>;
  /** The id of a live channel called `name` that `creatorId` created, or null. */
  findChannelCreatedBy(name: string, creatorId: string): Promise<string | null>;
  /** Adds a person; being in the channel already is fine. */
  invite(channelId: string, userId: string): Promise<void>;
  setTopic(channelId: string, incident: Incident): Promise<void>;
  /** Posts the headline card and returns its ts; with `lookFirst`, one posted before is reused. */
  postHeadline(
    channelId: string,
    incident: Incident,
    state: SetupHeadline,
    options: { lookFirst: boolean },
  ): Promise<string>;
  /** Pins a message; already pinned is fine. */
  pin(channelId: string, ts: string): Promise<void>;
  /** Announces the incident and returns the announcement's ts; with `lookFirst`, reuses one. */
  announce(channelId: string, incident: Incident, options: { lookFirst: boolean }): Promise<string>;
  /** Tells one person, where they declared the incident when possible (else a direct message). */
  tell(userId: string, originChannelId: string | null, notice: SetupNotice): Promise<void>;
  /** Posts a notice in a channel, or to a person by their user id. */
  post(channelOrUserId: string, notice: SetupNotice): Promise<void>;
  /** A short description of a failure, for people. */
  describeError(error: unknown): string;
}
