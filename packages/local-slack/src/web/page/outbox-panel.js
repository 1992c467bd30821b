import { act } from './api.js';
import { $, el, toast } from './dom.js';
import { app } from './page-state.js';

// The Outbox panel: every email, SMS, call and push the app sent through the local provider fakes,
// newest first. Everything is written as text nodes (never HTML); only http(s) URLs become links.

const KIND = {
  email: { icon: '✉️', label: 'Email' },
  sms: { icon: '💬', label: 'SMS' },
  call: { icon: '📞', label: 'Call' },
  push: { icon: '🔔', label: 'Push' },
};

const URL_IN_TEXT = /(https?:\/\/[^\s<>"']+)/g;

function link(href, text = href) {
  return el('a', { href, target: '_blank', rel: 'noopener noreferrer', testid: 'outbox-link' }, text);
}

/** Text with its http(s) URLs clickable (an ack link opens the app's confirmation page). */
function linkified(text) {
  return String(text)
    .split(URL_IN_TEXT)
    .map((part, i) => (i % 2 === 1 ? link(part) : part));
}

function field(name, ...value) {
  return el('div', { class: 'outbox-field' }, el('span', { class: 'outbox-name' }, name), ' ', ...value);
}

/** Answers an SMS or call as the person would: the fake posts Twilio's signed webhook to the app. */
function replyButton(entry, label) {
  if (!app.outboxReplies) return null;
  const button = el('button', { type: 'button', class: 'btn', testid: 'outbox-reply' }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    const result = await act('/api/outbox/reply', { id: entry.id });
    button.disabled = false;
    if (result && result.status < 400) toast(`The bot answered: ${result.said}`);
  });
  return el('div', { class: 'outbox-actions' }, button);
}

function details(entry) {
  switch (entry.kind) {
    case 'email':
      return [
        field('To', entry.to),
        field('Subject', el('strong', { testid: 'outbox-subject' }, entry.subject)),
        el('pre', { class: 'outbox-text', testid: 'outbox-text' }, linkified(entry.text)),
      ];
    case 'sms':
      return [
        field('To', entry.to),
        el('pre', { class: 'outbox-text', testid: 'outbox-text' }, linkified(entry.body)),
        replyButton(entry, `Reply ACK from ${entry.to}`),
      ];
    case 'call':
      return [
        field('To', entry.to),
        el(
          'pre',
          { class: 'outbox-text', testid: 'outbox-text' },
          entry.said.map((said) => `🗣 ${said}`).join('\n'),
        ),
        replyButton(entry, 'Answer and press 1'),
      ];
    case 'push':
      return [
        field('Topic', entry.topic),
        field('Title', el('strong', { testid: 'outbox-subject' }, entry.title)),
        el('pre', { class: 'outbox-text', testid: 'outbox-text' }, linkified(entry.body)),
        entry.click && /^https?:\/\//.test(entry.click) ? field('Tap opens', link(entry.click)) : null,
      ];
    default:
      return [el('pre', { class: 'outbox-text' }, JSON.stringify(entry))];
  }
}

function renderEntry(entry) {
  const kind = KIND[entry.kind] ?? { icon: '•', label: entry.kind };
  const at = new Date(entry.at).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return el(
    'article',
    { class: 'message outbox-entry', testid: 'outbox-entry', 'data-kind': entry.kind },
    el(
      'div',
      { class: 'meta' },
      el('span', { class: 'author' }, `${kind.icon} ${kind.label}`),
      el('span', { class: 'time' }, at),
    ),
    details(entry),
  );
}

export function renderOutbox() {
  const entries = app.outbox ?? [];
  $('#channel-header').replaceChildren(
    el('h1', { testid: 'channel-title' }, '📮 Outbox'),
    el(
      'div',
      { class: 'topic' },
      'Every email, SMS, call and push the bot sent, caught by local stand-ins for the providers: nothing leaves this machine. Open a link to act on it as the person would.',
    ),
  );
  $('#messages').replaceChildren(
    ...(entries.length
      ? entries.map(renderEntry)
      : [
          el(
            'div',
            { class: 'empty', testid: 'outbox-empty' },
            'Nothing sent yet. Page Bob (declare a SEV1 or SEV2, or send a test alert) and his notifications appear here.',
          ),
        ]),
  );
  const composer = $('#composer');
  composer.disabled = true;
  composer.placeholder = `Pick a channel to write or run ${app.command} …`;
}

/** The sidebar item, with how many messages there are. */
export function renderOutboxTab() {
  const tab = $('#outbox-tab');
  tab.hidden = !app.outboxEnabled;
  tab.textContent = `📮 Outbox${app.outbox?.length ? ` (${app.outbox.length})` : ''}`;
  tab.classList.toggle('active', app.selected?.kind === 'outbox');
}
