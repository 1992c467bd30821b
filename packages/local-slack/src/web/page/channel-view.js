import { act } from './api.js';
import { renderBlocks } from './blocks.js';
import { $, el } from './dom.js';
import { renderEphemeral, renderMessage } from './messages.js';
import { mrkdwn } from './mrkdwn.js';
import { app, currentChannel } from './page-state.js';
import { openThread } from './thread-panel.js';

// The sidebar and the main pane (a channel, a DM or the Home tab).

export function renderSidebar() {
  const data = app.data;
  const channelList = $('#channel-list');
  const dmList = $('#dm-list');
  channelList.replaceChildren();
  dmList.replaceChildren();
  for (const channel of data.channels) {
    const active = app.selected?.kind === 'channel' && app.selected.id === channel.id;
    const isDm = channel.kind === 'dm';
    const prefix = isDm ? '● ' : channel.isPrivate ? '🔒 ' : '# ';
    const link = el(
      'a',
      {
        href: `#channel/${channel.id}`,
        class: `nav-item${active ? ' active' : ''}${channel.isMember ? '' : ' not-joined'}`,
        testid: isDm ? `dm-${channel.name}` : `channel-${channel.name}`,
        'data-channel-id': channel.id,
        title: channel.isMember ? channel.name : `${channel.name} (not joined)`,
      },
      prefix + channel.name + (channel.isArchived ? ' (archived)' : ''),
    );
    (isDm ? dmList : channelList).append(link);
  }
  if (!data.channels.some((c) => c.kind === 'dm')) {
    dmList.append(el('div', { class: 'nav-item not-joined' }, `${data.bot.name}: no messages yet`));
  }
  $('#home-tab').classList.toggle('active', app.selected?.kind === 'home');
}

export function renderMain() {
  const header = $('#channel-header');
  const list = $('#messages');
  const composer = $('#composer');
  const stick = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  if (app.selected?.kind === 'home') {
    header.replaceChildren(el('h1', {}, `🏠 ${app.data.bot.name} — Home`));
    const home = app.data.home;
    const ctx = {
      onButton: (element) =>
        act('/api/view-click', { user: app.user, viewId: home.id, actionId: element.action_id }),
    };
    list.replaceChildren(
      home
        ? el(
            'div',
            { class: 'home-view', testid: 'home-view', 'data-view-id': home.id },
            renderBlocks(home.blocks, ctx),
          )
        : el(
            'div',
            { class: 'empty', testid: 'home-view' },
            'The bot has not published a Home view for you yet (it does when you open the Home tab in Slack, on app_home_opened).',
          ),
    );
    composer.disabled = true;
    composer.placeholder = `Pick a channel to write or run ${app.command} …`;
    return;
  }
  composer.disabled = false;
  const channel = currentChannel();
  if (!channel) {
    header.replaceChildren(el('h1', {}, 'Pick a channel'));
    list.replaceChildren();
    return;
  }
  header.replaceChildren(
    ...[
      el(
        'h1',
        { testid: 'channel-title' },
        channel.kind === 'dm' ? channel.name : `${channel.isPrivate ? '🔒' : '#'} ${channel.name}`,
      ),
      channel.topic
        ? el('div', { class: 'topic', testid: 'channel-topic', html: mrkdwn(channel.topic) })
        : null,
      channel.isMember
        ? null
        : el(
            'div',
            { class: 'topic' },
            'You are not a member of this channel: you can read it and run slash commands here.',
          ),
    ].filter(Boolean),
  );
  const items = [
    ...channel.messages.map((m) => ({
      ts: m.ts,
      node: () => renderMessage(m, channel, { onOpenThread: openThread }),
    })),
    ...channel.ephemerals
      .filter((e) => !e.threadTs)
      .map((e) => ({ ts: e.ts, node: () => renderEphemeral(e, channel) })),
  ].sort((a, b) => Number(a.ts) - Number(b.ts));
  list.replaceChildren(
    ...(items.length ? items.map((i) => i.node()) : [el('div', { class: 'empty' }, 'No messages yet.')]),
  );
  if (stick) list.scrollTop = list.scrollHeight;
  composer.placeholder = `Message ${channel.kind === 'dm' ? channel.name : `#${channel.name}`}, or ${app.command} …`;
}
