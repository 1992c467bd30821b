import { act } from './api.js';
import { renderBlocks } from './blocks.js';
import { el, formatTs } from './dom.js';
import { EMOJI, mrkdwn } from './mrkdwn.js';
import { app } from './page-state.js';

// A message as Slack shows it: author line, blocks or text, files, menu, reactions, thread link.

function authorLine(message, { ephemeral = false } = {}) {
  return el(
    'div',
    { class: 'meta' },
    el('span', { class: 'author' }, ephemeral ? app.data.bot.name : message.author),
    message.isBot || ephemeral ? el('span', { class: 'app-badge' }, 'APP') : null,
    el('span', { class: 'time', title: message.ts }, formatTs(message.ts)),
    message.edited ? el('span', { class: 'note' }, ' (edited)') : null,
  );
}

export /** `onOpenThread(channelId, ts)`: what the reply-count link does (not shown in a thread). */
function renderMessage(message, channel, { inThread = false, onOpenThread } = {}) {
  const ctx = {
    onButton: (element) =>
      act('/api/click', {
        user: app.user,
        channel: channel.id,
        ts: message.ts,
        actionId: element.action_id,
        value: element.value,
      }),
  };
  const body =
    message.blocks.length > 0
      ? renderBlocks(message.blocks, ctx)
      : [el('div', { class: 'mrkdwn', html: mrkdwn(message.text) })];
  const files = message.files.length
    ? el(
        'div',
        { class: 'files' },
        message.files.map((file) =>
          el(
            'a',
            {
              class: 'file-link',
              href: file.url,
              target: '_blank',
              rel: 'noopener',
              testid: 'file-link',
              'data-file-id': file.id,
            },
            `📄 ${file.title || file.name}`,
            el('span', { class: 'file-type' }, `${file.name} · ${file.mimetype}`),
          ),
        ),
      )
    : null;
  const thread =
    !inThread && message.replyCount > 0
      ? el(
          'button',
          {
            type: 'button',
            class: 'thread-link',
            testid: 'thread-link',
            onclick: () => onOpenThread(channel.id, message.ts),
          },
          `${message.replyCount} ${message.replyCount === 1 ? 'reply' : 'replies'}`,
        )
      : null;
  return el(
    'div',
    {
      class: `message${message.pinned ? ' pinned' : ''}`,
      testid: inThread ? 'thread-message' : 'message',
      'data-ts': message.ts,
      'data-pinned': message.pinned ? 'true' : undefined,
    },
    messageMenu(message, channel),
    message.pinned ? el('div', { class: 'pinned-marker', testid: 'pinned' }, '📌 Pinned') : null,
    authorLine(message),
    body,
    files,
    reactionChips(message, channel),
    thread,
  );
}

/** Reactions offered in the message menu (Slack has a picker; these are the ones incidents use). */
const QUICK_REACTIONS = ['pushpin', 'eyes', 'white_check_mark'];

function toggleReaction(message, channel, name) {
  const added = !message.reactions.some((r) => r.name === name && r.users.includes(app.user));
  return act('/api/react', { user: app.user, channel: channel.id, ts: message.ts, name, added });
}

/** What hovering a message offers in Slack: react, pin, and the app's message shortcuts. */
function messageMenu(message, channel) {
  const items = [];
  for (const name of QUICK_REACTIONS) {
    items.push(
      el(
        'button',
        {
          type: 'button',
          class: 'menu-item',
          title: `React with :${name}:`,
          testid: `react-${name}`,
          onclick: () => toggleReaction(message, channel, name),
        },
        EMOJI[name] ?? `:${name}:`,
      ),
    );
  }
  if (channel.isMember && channel.kind !== 'dm') {
    items.push(
      el(
        'button',
        {
          type: 'button',
          class: 'menu-item',
          testid: 'msg-pin',
          onclick: () =>
            act('/api/pin', { user: app.user, channel: channel.id, ts: message.ts, pinned: !message.pinned }),
        },
        message.pinned ? 'Un-pin' : 'Pin to channel',
      ),
    );
  }
  for (const shortcut of app.data.shortcuts ?? []) {
    items.push(
      el(
        'button',
        {
          type: 'button',
          class: 'menu-item',
          title: 'Message shortcut',
          testid: `shortcut-${shortcut.callbackId}`,
          onclick: () =>
            act('/api/shortcut', {
              user: app.user,
              channel: channel.id,
              ts: message.ts,
              callbackId: shortcut.callbackId,
            }),
        },
        `⚡ ${shortcut.name}`,
      ),
    );
  }
  return el('div', { class: 'message-menu', testid: 'message-menu' }, items);
}

function reactionChips(message, channel) {
  if (!message.reactions?.length) return null;
  return el(
    'div',
    { class: 'reactions' },
    message.reactions.map((reaction) =>
      el(
        'button',
        {
          type: 'button',
          class: `reaction${reaction.users.includes(app.user) ? ' mine' : ''}`,
          testid: 'reaction',
          'data-name': reaction.name,
          title: reaction.users.map((id) => app.data.userNames[id] ?? id).join(', '),
          onclick: () => toggleReaction(message, channel, reaction.name),
        },
        `${EMOJI[reaction.name] ?? `:${reaction.name}:`} ${reaction.count}`,
      ),
    ),
  );
}

export function renderEphemeral(ephemeral, channel) {
  const ctx = {
    onButton: (element) =>
      act('/api/click', {
        user: app.user,
        channel: channel.id,
        ts: ephemeral.ts,
        actionId: element.action_id,
        value: element.value,
      }),
  };
  return el(
    'div',
    { class: 'message ephemeral', testid: 'ephemeral', 'data-ts': ephemeral.ts },
    authorLine(ephemeral, { ephemeral: true }),
    ephemeral.blocks.length > 0
      ? renderBlocks(ephemeral.blocks, ctx)
      : el('div', { class: 'mrkdwn', html: mrkdwn(ephemeral.text) }),
    el('div', { class: 'note' }, '👁 Only visible to you'),
  );
}
