import type { ClockLike } from './millis-clock.js';
import type { SlackFake, ViewSubmissionOutcome } from './slack-fake/index.js';
import type { SlackMessage } from './slack-fake/types.js';
import type { ViewInputValues } from './view-state-values.js';

export interface SlackDriverOptions {
  fake: SlackFake;
  /** The app's request URL, e.g. `http://127.0.0.1:PORT/slack/events`. */
  appUrl: string;
  signingSecret: string;
  /** Default: the fake's team. */
  teamId?: string;
  /** Signs with this time (epoch ms or a `{ now(): Date }` clock); default `Date.now`. */
  clock?: ClockLike;
  /** The legacy verification token Slack still puts in payloads. Default `sandbox-verification-token`. */
  verificationToken?: string;
  /** Deliver over the fake's Socket Mode link (the app connected with its xapp- token) instead of HTTP. */
  socketMode?: boolean;
}

export interface DriverResponse {
  status: number;
  /** Parsed JSON when the body is JSON, else the text; `''` when empty. */
  body: unknown;
  headers: Record<string, string>;
}

export interface SlashCommandInput {
  userId: string;
  channelId: string;
  text: string;
  command?: string;
}

export interface ClickButtonInput {
  userId: string;
  channelId: string;
  messageTs: string;
  actionId: string;
  /** Overrides the button's own value. */
  value?: string;
}

export interface ClickViewButtonInput {
  userId: string;
  viewId: string;
  actionId: string;
  /** What the person had typed so far (goes into `view.state`). */
  values?: ViewInputValues;
}

export interface SubmitViewInput {
  userId: string;
  viewId: string;
  values: ViewInputValues;
}

export interface EventInput {
  event: Record<string, unknown>;
  eventId?: string;
  retryNum?: number;
  retryReason?: string;
}

export interface PostOptions {
  /** Default `application/x-www-form-urlencoded`. */
  contentType?: string;
  /** Seconds; default now. */
  timestamp?: number;
  /** Sent as is instead of the computed signature (forgery tests). */
  signature?: string;
  headers?: Record<string, string>;
}

export interface SlackDriver {
  slashCommand(
    input: SlashCommandInput,
  ): Promise<DriverResponse & { triggerId: string; responseUrl: string }>;
  clickButton(input: ClickButtonInput): Promise<DriverResponse & { triggerId: string; responseUrl: string }>;
  clickViewButton(input: ClickViewButtonInput): Promise<DriverResponse & { triggerId: string }>;
  /** Submits a modal; the fake then applies the app's answer (close, errors, update, push). */
  submitView(
    input: SubmitViewInput,
  ): Promise<DriverResponse & { triggerId: string; outcome: ViewSubmissionOutcome }>;
  /** The person dismisses a modal; Slack sends `view_closed` only when the view asked for it. */
  closeView(input: { userId: string; viewId: string }): Promise<DriverResponse | undefined>;
  event(input: EventInput): Promise<DriverResponse & { eventId: string }>;
  /** A person posts in a channel: stored in the fake, then delivered as a `message` event. */
  userMessage(input: {
    userId: string;
    channelId: string;
    text: string;
    threadTs?: string;
  }): Promise<DriverResponse & { message: SlackMessage; eventId: string }>;
  /**
   * A person pins or un-pins a message: stored in the fake, then `pin_added` / `pin_removed` is
   * delivered if the bot is in the channel (Slack sends channel events only to members).
   */
  pinMessage(input: {
    userId: string;
    channelId: string;
    ts: string;
    pinned: boolean;
  }): Promise<{ message: SlackMessage; response: DriverResponse | null }>;
  /** A person adds or removes a reaction; `reaction_added` / `reaction_removed` as for pins. */
  react(input: {
    userId: string;
    channelId: string;
    ts: string;
    name: string;
    added: boolean;
  }): Promise<{ message: SlackMessage; response: DriverResponse | null }>;
  /** A person runs a message shortcut (`message_action`) on a message. */
  messageShortcut(input: {
    userId: string;
    channelId: string;
    ts: string;
    callbackId: string;
  }): Promise<DriverResponse & { triggerId: string; responseUrl: string }>;
  post(rawBody: string, options?: PostOptions): Promise<DriverResponse>;
}
