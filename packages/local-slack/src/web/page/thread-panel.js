import { act, api } from './api.js';
import { $, el, toast } from './dom.js';
import { renderEphemeral, renderMessage } from './messages.js';
import { app } from './page-state.js';

// The thread panel beside the channel.

export async function renderThread() {
  const panel = $('#thread');
  if (!app.thread) {
    panel.hidden = true;
    panel.replaceChildren();
    return;
  }
  const { channel: channelId, ts } = app.thread;
  const channel = app.data?.channels.find((c) => c.id === channelId);
  if (!channel) {
    app.thread = null;
    panel.hidden = true;
    return;
  }
  let data;
  try {
    data = await api(`/api/replies?channel=${encodeURIComponent(channelId)}&ts=${encodeURIComponent(ts)}`);
  } catch (error) {
    toast(error.message, 'error');
    return;
  }
  if (!app.thread || app.thread.ts !== ts) return;
  const input = el('input', { placeholder: 'Reply…', testid: 'thread-composer' });
  const form = el(
    'form',
    { class: 'thread-composer' },
    input,
    el('button', { type: 'submit', class: 'btn', testid: 'thread-send' }, 'Reply'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    await act('/api/command', { user: app.user, channel: channelId, text, threadTs: ts });
  });
  const ephemerals = channel.ephemerals
    .filter((e) => e.threadTs === ts)
    .map((e) => renderEphemeral(e, channel));
  const body = el(
    'div',
    { class: 'thread-body' },
    data.parent ? renderMessage(data.parent, channel, { inThread: true }) : null,
    el(
      'div',
      { class: 'reply-count' },
      `${data.replies.length} ${data.replies.length === 1 ? 'reply' : 'replies'}`,
    ),
    data.replies.map((m) => renderMessage(m, channel, { inThread: true })),
    ephemerals,
  );
  const hadFocus = document.activeElement?.dataset?.testid === 'thread-composer';
  const draft = panel.querySelector('[data-testid="thread-composer"]')?.value ?? '';
  panel.replaceChildren(
    el(
      'div',
      { class: 'thread-header' },
      el('strong', {}, `Thread in ${channel.kind === 'dm' ? channel.name : `#${channel.name}`}`),
      el(
        'button',
        { type: 'button', class: 'modal-close', testid: 'thread-close', onclick: closeThread },
        '×',
      ),
    ),
    body,
    form,
  );
  input.value = draft;
  if (hadFocus) input.focus();
  panel.hidden = false;
  panel.dataset.threadTs = ts;
}

export function openThread(channelId, ts) {
  app.thread = { channel: channelId, ts };
  renderThread();
}

export function closeThread() {
  app.thread = null;
  renderThread();
}
