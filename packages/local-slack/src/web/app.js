// The sandbox page: renders what the chosen person sees in the local Slack and acts through /api/*,
// which turns every action into the signed request Slack would send the bot. Vanilla JS, no build step.
// The modules under page/ each draw one part; this one wires navigation, live updates and start-up.

import { act, api, refresh, scheduleRefresh, setRender } from './page/api.js';
import { renderMain, renderSidebar } from './page/channel-view.js';
import { $, el, toast } from './page/dom.js';
import { forgetRenderedModal, renderModal } from './page/modal.js';
import { renderOutbox, renderOutboxTab } from './page/outbox-panel.js';
import { app, currentChannel } from './page/page-state.js';
import { renderThread } from './page/thread-panel.js';

function render() {
  if (!app.data) return;
  if (app.selected?.kind === 'channel' && !currentChannel()) app.selected = null;
  if (!app.selected) {
    const general = app.data.channels.find((c) => c.name === 'general') ?? app.data.channels[0];
    app.selected = general ? { kind: 'channel', id: general.id } : { kind: 'home' };
  }
  renderSidebar();
  renderOutboxTab();
  if (app.selected.kind === 'outbox') renderOutbox();
  else renderMain();
  renderModal();
  if (app.thread) renderThread();
}

setRender(render);

function applyHash() {
  const hash = location.hash.slice(1);
  if (hash === 'home') {
    const opening = app.selected?.kind !== 'home';
    app.selected = { kind: 'home' };
    // Like Slack: opening the Home tab sends app_home_opened, and the bot publishes the view.
    if (opening && app.user) act('/api/home-opened', { user: app.user });
  } else if (hash === 'outbox' && app.outboxEnabled) app.selected = { kind: 'outbox' };
  else if (hash.startsWith('channel/')) app.selected = { kind: 'channel', id: hash.slice('channel/'.length) };
  if (app.thread && app.selected?.id !== app.thread.channel) app.thread = null;
  render();
  if (!app.thread) renderThread();
}

function connectEvents() {
  const live = $('#live');
  const source = new EventSource('/api/events');
  source.onopen = () => {
    live.textContent = 'live';
    live.classList.add('on');
    scheduleRefresh(0);
  };
  source.onmessage = () => scheduleRefresh();
  source.onerror = () => {
    live.textContent = 'reconnecting…';
    live.classList.remove('on');
  };
}

async function sendComposer(event) {
  event.preventDefault();
  const composer = $('#composer');
  const text = composer.value.trim();
  const channel = currentChannel();
  if (!text || !channel) return;
  composer.value = '';
  const result = await act('/api/command', { user: app.user, channel: channel.id, text });
  if (!result) composer.value = text;
}

async function start() {
  const { users, title, commands, tools, outbox, outboxReplies } = await api('/api/users');
  renderTools(tools ?? []);
  app.outboxEnabled = outbox === true;
  app.outboxReplies = outboxReplies === true;
  app.users = users;
  if (commands?.[0]) app.command = commands[0];
  if (title) document.title = title;
  const switcher = $('#user-switcher');
  for (const user of users) switcher.append(el('option', { value: user.id }, user.label));
  const wanted = new URLSearchParams(location.search).get('user') ?? localStorage.getItem('sandbox-user');
  app.user = users.some((u) => u.id === wanted) ? wanted : (users[0]?.id ?? null);
  switcher.value = app.user ?? '';
  switcher.addEventListener('change', () => {
    app.user = switcher.value;
    localStorage.setItem('sandbox-user', app.user);
    app.thread = null;
    forgetRenderedModal();
    renderThread();
    refresh();
    if (app.selected?.kind === 'home') act('/api/home-opened', { user: app.user });
  });
  $('#composer-form').addEventListener('submit', sendComposer);
  window.addEventListener('hashchange', applyHash);
  applyHash();
  connectEvents();
  await refresh();
}

/** The app's own controls (e.g. "Send a test alert"): each runs on the server, as whatever the app set it up to do. */
function renderTools(tools) {
  if (tools.length === 0) return;
  $('#tools').hidden = false;
  $('#tool-hint').textContent = tools.find((t) => t.hint)?.hint ?? '';
  for (const tool of tools) {
    const button = el(
      'button',
      { type: 'button', class: 'tool-button', testid: `tool-${tool.id}` },
      tool.label,
    );
    button.addEventListener('click', async () => {
      button.disabled = true;
      const result = await act('/api/tool', { id: tool.id });
      button.disabled = false;
      if (result && result.status < 400) toast(`${tool.label}: done (HTTP ${result.status})`);
    });
    $('#tool-list').append(button);
  }
}

start().catch((error) => toast(`The sandbox page failed to start: ${error.message}`, 'error'));
