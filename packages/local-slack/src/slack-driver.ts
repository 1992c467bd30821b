import { randomBytes, randomUUID } from 'node:crypto';
import { type ClockLike, toMillisClock } from './millis-clock.js';
import { signSlackRequest } from './request-signing.js';
import type { SlackFake, ViewSubmissionOutcome } from './slack-fake/index.js';
import { envelopeForRequest } from './slack-fake/socket-mode.js';
import type { SlackBlock, SlackChannel, SlackMessage, SlackUser } from './slack-fake/types.js';
import { buildViewState, findButton, type ViewInputValues } from './view-state-values.js';

export type { ViewInputValues } from './view-state-values.js';

/** Exactly what Slack compares against; a `; charset=…` suffix makes Bolt reject the body. */
const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
const JSON_CONTENT_TYPE = 'application/json';

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

export function createSlackDriver(options: SlackDriverOptions): SlackDriver {
  const { fake, appUrl, signingSecret } = options;
  const now = toMillisClock(options.clock);
  const teamId = options.teamId ?? fake.config.teamId;
  const token = options.verificationToken ?? 'sandbox-verification-token';
  const team = { id: teamId, domain: fake.config.teamDomain };
  const apiAppId = fake.config.appId;

  const post = async (rawBody: string, postOptions: PostOptions = {}): Promise<DriverResponse> => {
    if (options.socketMode) {
      const { type, payload } = envelopeForRequest(rawBody, postOptions.contentType ?? FORM_CONTENT_TYPE);
      const retry = postOptions.headers?.['x-slack-retry-num'];
      const ack = await fake.socketMode.deliver(type, payload, {
        ...(retry ? { retryAttempt: Number(retry) } : {}),
        ...(postOptions.headers?.['x-slack-retry-reason']
          ? { retryReason: postOptions.headers['x-slack-retry-reason'] }
          : {}),
      });
      // Shaped like the HTTP answer: the ack's payload is what the Request URL would have replied.
      return { status: 200, body: ack ?? '', headers: {} };
    }
    const timestamp = postOptions.timestamp ?? Math.floor(now() / 1000);
    const response = await fetch(appUrl, {
      method: 'POST',
      headers: {
        'content-type': postOptions.contentType ?? FORM_CONTENT_TYPE,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': postOptions.signature ?? signSlackRequest(signingSecret, timestamp, rawBody),
        ...postOptions.headers,
      },
      body: rawBody,
    });
    const text = await response.text();
    return { status: response.status, body: parseBody(text), headers: Object.fromEntries(response.headers) };
  };

  const postPayload = (payload: unknown) =>
    post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());

  const user = (userId: string): SlackUser => {
    const found = fake.getUser(userId);
    if (!found) throw new Error(`slack driver: unknown user ${userId}`);
    return found;
  };
  const userRef = (userId: string) => {
    const { name } = user(userId);
    return { id: userId, username: name, name, team_id: teamId };
  };
  /** A person can only act where they can see: private channels and DMs need membership. */
  const channelSeenBy = (channelId: string, userId: string): SlackChannel => {
    const channel = fake.getChannel(channelId);
    if (!channel) throw new Error(`slack driver: unknown channel ${channelId}`);
    if (channel.is_private && !fake.members(channel.id).includes(userId)) {
      throw new Error(`slack driver: ${userId} cannot see ${channel.id}`);
    }
    return channel;
  };
  const botIsIn = (channelId: string) => fake.members(channelId).includes(fake.config.botUserId);
  const channelName = (channel: SlackChannel) => (channel.is_im ? 'directmessage' : (channel.name ?? ''));
  const actionTs = () => (now() / 1000).toFixed(6);

  const openView = (userId: string, viewId: string) => {
    const record = fake.getView(viewId);
    if (record?.status !== 'open') throw new Error(`slack driver: view ${viewId} is not open`);
    if (record.userId !== userId) throw new Error(`slack driver: view ${viewId} belongs to ${record.userId}`);
    return record.view;
  };

  const event = async (input: EventInput) => {
    const eventId = input.eventId ?? `Ev${randomBytes(6).toString('hex').toUpperCase()}`;
    const eventTime = Math.floor(now() / 1000);
    const envelope = {
      token,
      team_id: teamId,
      context_team_id: teamId,
      context_enterprise_id: null,
      api_app_id: apiAppId,
      event: { event_ts: actionTs(), ...input.event },
      type: 'event_callback',
      event_id: eventId,
      event_time: eventTime,
      authorizations: [
        {
          enterprise_id: null,
          team_id: teamId,
          user_id: fake.config.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      event_context: `4-${Buffer.from(JSON.stringify({ tid: teamId, aid: apiAppId })).toString('base64url')}`,
    };
    const headers: Record<string, string> = {};
    if (input.retryNum !== undefined) headers['x-slack-retry-num'] = String(input.retryNum);
    if (input.retryReason !== undefined) headers['x-slack-retry-reason'] = input.retryReason;
    const response = await post(JSON.stringify(envelope), { contentType: JSON_CONTENT_TYPE, headers });
    return { ...response, eventId };
  };

  return {
    post,
    event,

    async slashCommand({ userId, channelId, text, command = '/incident' }) {
      const person = user(userId);
      const channel = channelSeenBy(channelId, userId);
      const triggerId = fake.issueTriggerId(userId);
      const responseUrl = fake.createResponseUrl({ channelId: channel.id, userId });
      const body = new URLSearchParams({
        token,
        team_id: teamId,
        team_domain: team.domain,
        channel_id: channel.id,
        channel_name: channelName(channel),
        user_id: userId,
        user_name: person.name,
        command,
        text,
        api_app_id: apiAppId,
        is_enterprise_install: 'false',
        response_url: responseUrl,
        trigger_id: triggerId,
      });
      const response = await post(body.toString());
      // Slack shows a non-empty ack body to the user, as a response_url post would be shown.
      if (response.status === 200 && response.body !== '') {
        const message = typeof response.body === 'string' ? { text: response.body } : response.body;
        fake.applyResponseMessage({ channelId: channel.id, userId }, message);
      }
      return { ...response, triggerId, responseUrl };
    },

    async clickButton({ userId, channelId, messageTs, actionId, value }) {
      const channel = channelSeenBy(channelId, userId);
      const message = fake.getMessage(channel.id, messageTs);
      const ephemeral = message
        ? undefined
        : fake.ephemerals(channel.id).find((e) => e.message_ts === messageTs && e.user === userId);
      if (!message && !ephemeral)
        throw new Error(`slack driver: no message ${messageTs} visible to ${userId} in ${channel.id}`);
      const blocks: SlackBlock[] | undefined = message ? message.blocks : ephemeral?.blocks;
      const button = findButton(blocks, actionId);
      if (!button) throw new Error(`slack driver: message ${messageTs} has no button ${actionId}`);
      const triggerId = fake.issueTriggerId(userId);
      const responseUrl = fake.createResponseUrl({
        channelId: channel.id,
        userId,
        messageTs,
        isEphemeral: ephemeral !== undefined,
      });
      const threadTs = message?.thread_ts ?? ephemeral?.thread_ts;
      const payload = {
        type: 'block_actions',
        user: userRef(userId),
        api_app_id: apiAppId,
        token,
        container: {
          type: 'message',
          message_ts: messageTs,
          channel_id: channel.id,
          is_ephemeral: ephemeral !== undefined,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        },
        trigger_id: triggerId,
        team,
        enterprise: null,
        is_enterprise_install: false,
        channel: { id: channel.id, name: channelName(channel) },
        ...(message ? { message } : {}),
        state: { values: {} },
        response_url: responseUrl,
        actions: [buttonAction(button, value, actionTs())],
      };
      return { ...(await postPayload(payload)), triggerId, responseUrl };
    },

    async clickViewButton({ userId, viewId, actionId, values = {} }) {
      const view = openView(userId, viewId);
      const button = findButton(view.blocks, actionId);
      if (!button) throw new Error(`slack driver: view ${viewId} has no button ${actionId}`);
      const triggerId = fake.issueTriggerId(userId);
      const payload = {
        type: 'block_actions',
        user: userRef(userId),
        api_app_id: apiAppId,
        token,
        container: { type: 'view', view_id: viewId },
        trigger_id: triggerId,
        team,
        enterprise: null,
        is_enterprise_install: false,
        view: { ...view, state: { values: buildViewState(view.blocks, values, { requireInputs: false }) } },
        actions: [buttonAction(button, undefined, actionTs())],
      };
      return { ...(await postPayload(payload)), triggerId };
    },

    async submitView({ userId, viewId, values }) {
      const view = openView(userId, viewId);
      const state = { values: buildViewState(view.blocks, values, { requireInputs: true }) };
      const triggerId = fake.issueTriggerId(userId);
      const payload = {
        type: 'view_submission',
        team,
        user: userRef(userId),
        api_app_id: apiAppId,
        token,
        trigger_id: triggerId,
        view: { ...view, state },
        response_urls: [],
        is_enterprise_install: false,
        enterprise: null,
      };
      const response = await postPayload(payload);
      const outcome = fake.resolveViewSubmission(viewId, response);
      return { ...response, triggerId, outcome };
    },

    async closeView({ userId, viewId }) {
      const view = openView(userId, viewId);
      fake.closeView(viewId);
      if (!view.notify_on_close) return undefined;
      return postPayload({
        type: 'view_closed',
        team,
        user: userRef(userId),
        api_app_id: apiAppId,
        token,
        view,
        is_cleared: false,
        is_enterprise_install: false,
        enterprise: null,
      });
    },

    async pinMessage({ userId, channelId, ts, pinned }) {
      const channel = channelSeenBy(channelId, userId);
      const message = fake.pinAsUser({ userId, channelId: channel.id, ts, pinned });
      if (!botIsIn(channel.id)) return { message, response: null };
      const pinCount = fake.pins(channel.id).length;
      const response = await event({
        event: {
          type: pinned ? 'pin_added' : 'pin_removed',
          user: userId,
          channel_id: channel.id,
          item: {
            type: 'message',
            channel: channel.id,
            created: Math.floor(now() / 1000),
            created_by: userId,
            message,
          },
          item_user: message.user,
          pin_count: pinCount,
          pinned_info: { channel: channel.id, pinned_by: userId, pinned_ts: Math.floor(now() / 1000) },
          ...(pinned ? {} : { has_pins: pinCount > 0 }),
        },
      });
      return { message, response };
    },

    async react({ userId, channelId, ts, name, added }) {
      const channel = channelSeenBy(channelId, userId);
      const message = fake.reactAsUser({ userId, channelId: channel.id, ts, name, added });
      if (!botIsIn(channel.id)) return { message, response: null };
      const response = await event({
        event: {
          type: added ? 'reaction_added' : 'reaction_removed',
          user: userId,
          reaction: name,
          ...(message.user ? { item_user: message.user } : {}),
          item: { type: 'message', channel: channel.id, ts: message.ts },
        },
      });
      return { message, response };
    },

    async messageShortcut({ userId, channelId, ts, callbackId }) {
      const channel = channelSeenBy(channelId, userId);
      const message = fake.getMessage(channel.id, ts);
      if (!message) throw new Error(`slack driver: no message ${ts} in ${channel.id}`);
      const triggerId = fake.issueTriggerId(userId);
      const responseUrl = fake.createResponseUrl({ channelId: channel.id, userId });
      const response = await postPayload({
        type: 'message_action',
        token,
        action_ts: actionTs(),
        team,
        user: userRef(userId),
        channel: { id: channel.id, name: channelName(channel) },
        is_enterprise_install: false,
        enterprise: null,
        callback_id: callbackId,
        trigger_id: triggerId,
        response_url: responseUrl,
        message_ts: message.ts,
        message,
      });
      return { ...response, triggerId, responseUrl };
    },

    async userMessage({ userId, channelId, text, threadTs }) {
      const channel = channelSeenBy(channelId, userId);
      const message = fake.postAsUser({
        userId,
        channelId: channel.id,
        text,
        ...(threadTs ? { threadTs } : {}),
      });
      const channelType = channel.is_im ? 'im' : channel.is_private ? 'group' : 'channel';
      const response = await event({
        event: {
          type: 'message',
          channel: channel.id,
          user: userId,
          text,
          ts: message.ts,
          team: teamId,
          client_msg_id: randomUUID(),
          channel_type: channelType,
          event_ts: message.ts,
          ...(message.thread_ts
            ? { thread_ts: message.thread_ts, parent_user_id: message.parent_user_id }
            : {}),
        },
      });
      return { ...response, message };
    },
  };
}

function buttonAction(
  button: { blockId: string; element: Record<string, unknown> },
  value: string | undefined,
  actionTs: string,
) {
  const { element } = button;
  const buttonValue = value ?? (typeof element.value === 'string' ? element.value : undefined);
  return {
    action_id: element.action_id,
    block_id: button.blockId,
    text: element.text,
    ...(buttonValue !== undefined ? { value: buttonValue } : {}),
    ...(element.style ? { style: element.style } : {}),
    type: 'button',
    action_ts: actionTs,
  };
}

function parseBody(text: string): unknown {
  if (text === '') return '';
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
