import type {
  AllMiddlewareArgs,
  App,
  BlockButtonAction,
  MessageShortcut,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';

export type ActionArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
export type EventArgs = SlackEventMiddlewareArgs & AllMiddlewareArgs;
export type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/** Where listeners register: by action id, view callback id, event type or shortcut callback id. */
export interface SlackRouter {
  action(actionId: string, handler: (args: ActionArgs) => Promise<void>): void;
  view(callbackId: string, handler: (args: ViewArgs) => Promise<void>): void;
  event(type: string, handler: (args: EventArgs) => Promise<void>): void;
  shortcut(callbackId: string, handler: (args: ShortcutArgs) => Promise<void>): void;
}

/**
 * Bolt runs every registered listener's matchers for every request, so each listener costs every
 * slash command a little. The router registers one Bolt listener per kind of payload and finds the
 * handler in a map, which keeps the ack path as short as a one-listener app's.
 */
export function createSlackRouter(app: App): SlackRouter {
  const actions = new Map<string, (args: ActionArgs) => Promise<void>>();
  const views = new Map<string, (args: ViewArgs) => Promise<void>>();
  const events = new Map<string, (args: EventArgs) => Promise<void>>();
  const shortcuts = new Map<string, (args: ShortcutArgs) => Promise<void>>();

  app.action({ type: 'block_actions' }, async (args) => {
    const handler = actions.get((args.action as { action_id: string }).action_id);
    if (handler) return handler(args as unknown as ActionArgs);
    // Buttons with a URL and unknown ids still need an ack, or Slack shows an error.
    await args.ack();
  });
  app.view({ type: 'view_submission' }, async (args) => {
    const handler = views.get(args.view.callback_id);
    if (handler) return handler(args as unknown as ViewArgs);
    await args.ack();
  });
  app.event(/.*/, async (args) => {
    const handler = events.get(args.event.type);
    if (handler) await handler(args as EventArgs);
  });
  app.shortcut({ type: 'message_action' }, async (args) => {
    const handler = shortcuts.get(args.shortcut.callback_id);
    if (handler) return handler(args as unknown as ShortcutArgs);
    await args.ack();
  });

  const add =
    <H>(map: Map<string, H>, kind: string) =>
    (id: string, handler: H) => {
      if (map.has(id)) throw new Error(`two ${kind} handlers for ${id}`);
      map.set(id, handler);
    };
  return {
    action: add(actions, 'action'),
    view: add(views, 'view'),
    event: add(events, 'event'),
    shortcut: add(shortcuts, 'shortcut'),
  };
}
