import { randomBytes, randomUUID } from 'node:crypto';
import { toMillisClock } from './millis-clock.js';
import { createSignedPoster, FORM_CONTENT_TYPE, JSON_CONTENT_TYPE } from './signed-poster.js';
import type {
  DriverResponse,
  EventInput,
  PostOptions,
  SlackDriver,
  SlackDriverOptions,
} from './slack-driver-types.js';
import { envelopeForRequest } from './slack-fake/socket-mode.js';
import type { SlackBlock, SlackChannel, SlackUser } from './slack-fake/types.js';
import { buildViewState, findButton } from './view-state-values.js';

export type * from './slack-driver-types.js';
export type { ViewInputValues } from './view-state-values.js';

export function createSlackDriver(options: SlackDriverOptions): SlackDriver {
  const { fake, appUrl, signingSecret } = options;
  const now = toMillisClock(options.clock);
  const teamId = options.teamId ?? fake.config.teamId;
  const token = options.verificationToken ?? 'sandbox-verification-token';
  const team = { id: teamId, domain: fake.config.teamDomain };
  const apiAppId = fake.config.appId;
  const signedPost = createSignedPoster({ appUrl, signingSecret, now });
  const post = async (rawBody: string, postOptions: PostOptions = {}): Promise<DriverResponse> => {
    if (!options.socketMode) return signedPost(rawBody, postOptions);
    const { type, payload } = envelopeForRequest(rawBody, postOptions.contentType ?? FORM_CONTENT_TYPE);
    const retry = postOptions.headers?.['x-slack-retry-num'];
    const reason = postOptions.headers?.['x-slack-retry-reason'];
    const ack = await fake.socketMode.deliver(type, payload, {
      ...(retry ? { retryAttempt: Number(retry) } : {}),
      ...(reason ? { retryReason: reason } : {}),
    });
    // Shaped like the HTTP answer: the ack's payload is what the Request URL would have replied.
    return { status: 200, body: ack ?? '', headers: {} };
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
