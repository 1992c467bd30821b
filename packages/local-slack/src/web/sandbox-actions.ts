import type { SlackDriver } from '../slack-driver.js';
import type { SlackFake } from '../slack-fake/index.js';
import { isRecord, RequestError } from './sandbox-http.js';
import type { SandboxTool } from './sandbox-server.js';

export type SandboxAction = (body: Record<string, unknown>) => Promise<unknown>;

export interface SandboxActionsOptions {
  fake: SlackFake;
  driver: SlackDriver;
  knownUser(userId: unknown): string;
  /** The app's slash commands; any other `/command` is answered with what exists. */
  slashCommands: string[] | undefined;
  /** The app's own controls, run by `/api/tool`. */
  tools: SandboxTool[];
  /** Replies to an SMS or call of the outbox as the person would (`/api/outbox/reply`). */
  outboxReply?: (id: string) => Promise<{ status: number; said: string }>;
}

/** The page's POST routes: each acts through the signed-request driver as the chosen person. */
export function createSandboxActions(options: SandboxActionsOptions): Record<string, SandboxAction> {
  const { fake, driver, knownUser } = options;
  const text = (body: Record<string, unknown>, key: string): string => {
    const value = body[key];
    if (typeof value !== 'string' || value === '') throw new RequestError(`missing ${key}`);
    return value;
  };
  const optionalText = (body: Record<string, unknown>, key: string): string | undefined =>
    typeof body[key] === 'string' && body[key] !== '' ? (body[key] as string) : undefined;
  /** The person acting and the message they act on. */
  const onMessage = (body: Record<string, unknown>) => ({
    userId: knownUser(body.user),
    channelId: text(body, 'channel'),
    ts: text(body, 'ts'),
  });
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

  return {
    async '/api/outbox/reply'(body) {
      if (!options.outboxReply) throw new RequestError('this sandbox cannot reply to its outbox');
      const id = text(body, 'id');
      try {
        return await options.outboxReply(id);
      } catch (error) {
        throw new RequestError((error as Error).message);
      }
    },
    async '/api/tool'(body) {
      const id = text(body, 'id');
      const tool = options.tools.find((t) => t.id === id);
      if (!tool) throw new RequestError(`no tool ${id}`);
      return answer(await tool.run());
    },
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
      const { userId, channelId, ts } = onMessage(body);
      return answer(
        await driver.clickButton({
          userId,
          channelId,
          messageTs: ts,
          actionId: text(body, 'actionId'),
          ...(value !== undefined ? { value } : {}),
        }),
      );
    },
    /** Pin or un-pin from the message menu. */
    async '/api/pin'(body) {
      const { response } = await driver.pinMessage({
        ...onMessage(body),
        pinned: body.pinned === true,
      });
      return answerIfSent(response);
    },
    /** Add or remove an emoji reaction (`name` without colons). */
    async '/api/react'(body) {
      const { response } = await driver.react({
        ...onMessage(body),
        name: text(body, 'name'),
        added: body.added === true,
      });
      return answerIfSent(response);
    },
    /** A message shortcut from the message menu. */
    async '/api/shortcut'(body) {
      return answer(
        await driver.messageShortcut({
          ...onMessage(body),
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
}
