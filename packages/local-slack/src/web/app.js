// The sandbox page: renders what the chosen person sees in the local Slack and acts through /api/*,
// which turns every action into the signed request Slack would send the bot. Vanilla JS, no build step.

const $ = (selector, root = document) => root.querySelector(selector);

/** @type {{ users: {id:string,label:string,name:string}[], user: string|null, data: any, selected: {kind:'channel'|'home', id?:string}|null, thread: {channel:string, ts:string}|null, modalId: string|null }} */
const app = {
  users: [],
  user: null,
  data: null,
  selected: null,
  thread: null,
  modalId: null,
  /** The app's first slash command (from the server's slashCommands), shown in the composer's hint. */
  command: '/command',
};

// ---------------------------------------------------------------- helpers

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'html') node.innerHTML = value;
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'testid') node.dataset.testid = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function escapeHtml(text) {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

function toast(message, kind = 'info') {
  const node = el('div', { class: `toast ${kind}`, testid: 'toast', role: 'status' }, message);
  $('#toasts').append(node);
  setTimeout(() => node.remove(), kind === 'error' ? 8000 : 4000);
}

async function api(path, body) {
  const init =
    body === undefined
      ? {}
      : {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        };
  const response = await fetch(path, init);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `${path}: HTTP ${response.status}`);
  return data;
}

/** Runs an action; reports a failure (a 400 from the API, or the bot answering non-2xx). */
async function act(path, body) {
  try {
    const result = await api(path, body);
    if (typeof result.status === 'number' && result.status >= 400) {
      toast(`The bot answered HTTP ${result.status}${bodyText(result.body)}`, 'error');
    }
    scheduleRefresh(0);
    return result;
  } catch (error) {
    toast(error.message, 'error');
    return null;
  }
}

function bodyText(body) {
  if (body === '' || body === null || body === undefined) return '';
  return `: ${typeof body === 'string' ? body : JSON.stringify(body)}`;
}

function formatTs(ts) {
  const date = new Date(Number(ts) * 1000);
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

// ---------------------------------------------------------------- mrkdwn

const EMOJI = {
  warning: '⚠️',
  white_check_mark: '✅',
  pager: '📟',
  rotating_light: '🚨',
  pushpin: '📌',
  memo: '📝',
  lock: '🔒',
  arrow_double_up: '⏫',
  alarm_clock: '⏰',
  zzz: '💤',
  x: '❌',
  white_circle: '⚪',
  repeat: '🔁',
  red_circle: '🔴',
  no_entry: '⛔',
  loudspeaker: '📢',
  large_yellow_circle: '🟡',
  large_orange_circle: '🟠',
  large_green_circle: '🟢',
  large_blue_circle: '🔵',
  hourglass_flowing_sand: '⏳',
  hourglass: '⌛',
  bust_in_silhouette: '👤',
  busts_in_silhouette: '👥',
  fire: '🔥',
  eyes: '👀',
  tada: '🎉',
  heavy_check_mark: '✔️',
  page_facing_up: '📄',
  bell: '🔔',
  calendar: '📅',
  spiral_calendar_pad: '🗓️',
  mag: '🔍',
  speech_balloon: '💬',
  construction: '🚧',
  sos: '🆘',
  clipboard: '📋',
  link: '🔗',
  arrow_up: '⬆️',
  arrow_down: '⬇️',
  information_source: 'ℹ️',
  bulb: '💡',
  stopwatch: '⏱️',
  house: '🏠',
};

function slackDecode(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Slack's `<…>` tokens → HTML (already escaped). */
function renderToken(inner) {
  const data = app.data;
  const [target, label] = splitOnce(inner, '|');
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = label || data?.userNames?.[id] || id;
    return `<span class="mention" data-user="${escapeHtml(id)}">@${escapeHtml(slackDecode(name))}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const name = label || data?.channelNames?.[id] || id;
    return `<a href="#channel/${escapeHtml(id)}" class="mention">#${escapeHtml(slackDecode(name))}</a>`;
  }
  if (target.startsWith('!date^')) {
    return escapeHtml(slackDecode(label || target.split('^')[1] || ''));
  }
  if (target.startsWith('!subteam^')) return `<span class="mention">@${escapeHtml(label || 'group')}</span>`;
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(label || target.slice(1))}</span>`;
  const url = slackDecode(target);
  const safe = /^(https?:|mailto:|\/)/i.test(url) ? url : '#';
  return `<a href="${escapeHtml(safe)}" target="_blank" rel="noopener">${escapeHtml(slackDecode(label || url))}</a>`;
}

function splitOnce(text, separator) {
  const index = text.indexOf(separator);
  return index < 0 ? [text, ''] : [text.slice(0, index), text.slice(index + 1)];
}

/** Slack mrkdwn (the basics the bot uses) → HTML. */
function mrkdwn(text) {
  const tokens = [];
  const hold = (html) => `\uE000${tokens.push(html) - 1}\uE000`;
  let source = String(text ?? '');
  // Code first: nothing inside it is formatted.
  source = source.replace(/```([\s\S]*?)```/g, (_, code) =>
    hold(`<pre>${escapeHtml(slackDecode(code))}</pre>`),
  );
  source = source.replace(/`([^`\n]+)`/g, (_, code) => hold(`<code>${escapeHtml(slackDecode(code))}</code>`));
  source = source.replace(/<([^<>\n]+)>/g, (_, inner) => hold(renderToken(inner)));
  let html = escapeHtml(slackDecode(source));
  html = html.replace(/(^|[\s(>_~])\*([^*\n]+)\*(?=$|[\s).,:;!?<_~])/g, '$1<strong>$2</strong>');
  html = html.replace(/(^|[\s(>*~])_([^_\n]+)_(?=$|[\s).,:;!?<*~])/g, '$1<em>$2</em>');
  html = html.replace(/(^|[\s(>*_])~([^~\n]+)~(?=$|[\s).,:;!?<*_])/g, '$1<del>$2</del>');
  html = html.replace(/^&gt; ?(.*)$/gm, '<blockquote>$1</blockquote>');
  html = html.replace(/:([a-z0-9_+-]+):/g, (match, name) => EMOJI[name] ?? match);
  html = html.replace(/\n/g, '<br>');
  return html.replace(/\uE000(\d+)\uE000/g, (_, index) => tokens[Number(index)]);
}

function textObject(object, className = 'mrkdwn') {
  if (!object) return el('span');
  if (object.type === 'mrkdwn') return el('div', { class: className, html: mrkdwn(object.text) });
  return el('div', { class: className, style: 'white-space: pre-wrap' }, emojify(object.text ?? ''));
}

function emojify(text) {
  return String(text).replace(/:([a-z0-9_+-]+):/g, (match, name) => EMOJI[name] ?? match);
}

function plain(object) {
  return object?.text ?? '';
}

function unsupported(kind, type) {
  return el('span', { class: 'unsupported', testid: 'unsupported' }, `[unsupported ${kind}: ${type}]`);
}

// ---------------------------------------------------------------- Block Kit

/**
 * ctx: { onButton(element, block), modal?: { errors, values } }: in a modal, input blocks become form
 * fields; elsewhere buttons call onButton.
 */
function renderBlocks(blocks, ctx) {
  return (blocks ?? []).map((block) => {
    try {
      return renderBlock(block, ctx);
    } catch (error) {
      return el('div', { class: 'block' }, unsupported('block', `${block?.type} (${error.message})`));
    }
  });
}

function renderBlock(block, ctx) {
  const attrs = { class: `block block-${block.type}`, 'data-block-id': block.block_id };
  switch (block.type) {
    case 'header':
      return el('div', attrs, emojify(plain(block.text)));
    case 'section': {
      const body = el('div', { class: 'section-body' });
      if (block.text) body.append(textObject(block.text));
      if (Array.isArray(block.fields) && block.fields.length > 0) {
        body.append(
          el(
            'div',
            { class: 'fields' },
            block.fields.map((field) => textObject(field)),
          ),
        );
      }
      const node = el('div', attrs, body);
      if (block.accessory) node.append(renderElement(block.accessory, block, ctx));
      return node;
    }
    case 'context':
      return el(
        'div',
        attrs,
        (block.elements ?? []).map((element) =>
          element.type === 'image'
            ? el('img', { src: element.image_url, alt: element.alt_text ?? '' })
            : textObject(element, 'mrkdwn context-item'),
        ),
      );
    case 'divider':
      return el('hr', attrs);
    case 'actions':
      return el(
        'div',
        attrs,
        (block.elements ?? []).map((element) => renderElement(element, block, ctx)),
      );
    case 'image':
      return el(
        'div',
        attrs,
        block.title ? el('div', {}, plain(block.title)) : null,
        el('img', { src: block.image_url, alt: block.alt_text ?? '' }),
      );
    case 'input':
      if (ctx.modal) return renderInput(block, ctx);
      return el('div', attrs, unsupported('block', 'input outside a modal'));
    case 'rich_text':
      return el('div', { ...attrs, class: `${attrs.class} mrkdwn` }, richText(block));
    default:
      return el('div', attrs, unsupported('block', block.type));
  }
}

function richText(block) {
  const out = [];
  const walk = (node) => {
    if (!node || typeof node !== 'object') return;
    if (node.type === 'text') out.push(node.text ?? '');
    else if (node.type === 'link') out.push(node.text || node.url || '');
    else if (node.type === 'user') out.push(`@${app.data?.userNames?.[node.user_id] ?? node.user_id}`);
    else if (node.type === 'channel')
      out.push(`#${app.data?.channelNames?.[node.channel_id] ?? node.channel_id}`);
    else if (node.type === 'emoji') out.push(EMOJI[node.name] ?? `:${node.name}:`);
    for (const child of node.elements ?? []) walk(child);
    if (/^rich_text_(section|preformatted|quote)$/.test(node.type)) out.push('\n');
  };
  walk(block);
  return el('div', { style: 'white-space: pre-wrap' }, out.join('').trimEnd());
}

function renderElement(element, block, ctx) {
  if (element.type === 'button') return renderButton(element, block, ctx);
  if (element.type === 'image')
    return el('img', { src: element.image_url, alt: element.alt_text ?? '', width: 48 });
  return unsupported('element', element.type);
}

function renderButton(element, block, ctx) {
  const style = element.style === 'primary' || element.style === 'danger' ? ` ${element.style}` : '';
  const button = el(
    'button',
    {
      type: 'button',
      class: `btn${style}`,
      'data-action-id': element.action_id,
      'data-block-id': block.block_id,
      testid: 'button',
    },
    plain(element.text),
  );
  button.addEventListener('click', async () => {
    if (element.confirm && !window.confirm(confirmText(element.confirm))) return;
    if (element.url) window.open(element.url, '_blank', 'noopener');
    if (!ctx.onButton) {
      toast(`No handler for ${element.action_id} here`, 'error');
      return;
    }
    button.disabled = true;
    try {
      await ctx.onButton(element, block);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

function confirmText(confirm) {
  return [plain(confirm.title), plain(confirm.text)].filter(Boolean).join('\n\n');
}

// ---------------------------------------------------------------- modal inputs

const FIELD_TYPES = {
  plain_text_input: 'text',
  email_text_input: 'email',
  url_text_input: 'url',
  number_input: 'number',
  datepicker: 'date',
  timepicker: 'time',
};

function optionLabel(option) {
  return plain(option.text) || option.value;
}

function allOptions(element) {
  const grouped = (element.option_groups ?? []).flatMap((group) => group.options ?? []);
  return [...(element.options ?? []), ...grouped];
}

function renderInput(block, ctx) {
  const element = block.element ?? {};
  const error = ctx.modal.errors?.[block.block_id];
  const id = `input-${block.block_id}-${element.action_id}`;
  const base = {
    id,
    'data-block-id': block.block_id,
    'data-action-id': element.action_id,
    'data-type': element.type,
  };
  let field;
  switch (element.type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
    case 'datepicker':
    case 'timepicker': {
      const tag = element.multiline ? 'textarea' : 'input';
      field = el(tag, {
        ...base,
        type: tag === 'input' ? FIELD_TYPES[element.type] : undefined,
        placeholder: plain(element.placeholder) || undefined,
        maxlength: element.max_length,
        testid: 'modal-input',
      });
      field.value = element.initial_value ?? element.initial_date ?? element.initial_time ?? '';
      break;
    }
    case 'static_select':
    case 'users_select':
    case 'multi_static_select':
    case 'multi_users_select': {
      const multi = element.type.startsWith('multi_');
      const users = element.type.includes('users');
      const options = users
        ? app.users.map((u) => ({ value: u.id, label: u.label }))
        : allOptions(element).map((o) => ({ value: o.value, label: optionLabel(o) }));
      const initial = new Set(
        users
          ? [element.initial_user, ...(element.initial_users ?? [])].filter(Boolean)
          : [element.initial_option?.value, ...(element.initial_options ?? []).map((o) => o.value)].filter(
              Boolean,
            ),
      );
      if (users) {
        for (const value of initial) {
          if (!options.some((o) => o.value === value))
            options.push({ value, label: app.data?.userNames?.[value] ?? value });
        }
      }
      field = el('select', { ...base, multiple: multi, testid: 'modal-input' });
      if (!multi) field.append(el('option', { value: '' }, plain(element.placeholder) || 'Select…'));
      for (const option of options) {
        field.append(
          el('option', { value: option.value, selected: initial.has(option.value) }, option.label),
        );
      }
      if (!multi && !initial.size) field.value = '';
      break;
    }
    case 'checkboxes':
    case 'radio_buttons': {
      const initial = new Set(
        [element.initial_option?.value, ...(element.initial_options ?? []).map((o) => o.value)].filter(
          Boolean,
        ),
      );
      field = el('div', { ...base, testid: 'modal-input', role: 'group' });
      for (const option of element.options ?? []) {
        field.append(
          el(
            'label',
            { class: 'checkbox-option' },
            el('input', {
              type: element.type === 'checkboxes' ? 'checkbox' : 'radio',
              name: id,
              value: option.value,
              checked: initial.has(option.value),
            }),
            ' ',
            el('span', {
              html:
                option.text?.type === 'mrkdwn' ? mrkdwn(option.text.text) : escapeHtml(optionLabel(option)),
            }),
            option.description ? el('span', { class: 'description' }, plain(option.description)) : null,
          ),
        );
      }
      break;
    }
    default:
      field = unsupported('input', element.type);
  }
  return el(
    'div',
    { class: `input-block${error ? ' has-error' : ''}`, 'data-input-block': block.block_id },
    el(
      'label',
      { for: id },
      plain(block.label),
      block.optional ? el('span', { class: 'optional' }, ' (optional)') : null,
    ),
    field,
    block.hint ? el('div', { class: 'hint' }, plain(block.hint)) : null,
    error
      ? el('div', { class: 'field-error', testid: 'field-error', 'data-block-id': block.block_id }, error)
      : null,
  );
}

/** block_id → action_id → value, as /api/submit (and the driver) take them. */
function collectValues(root) {
  const values = {};
  for (const field of root.querySelectorAll('[data-block-id][data-action-id][data-type]')) {
    const { blockId, actionId, type } = field.dataset;
    let value;
    if (type === 'checkboxes') {
      value = [...field.querySelectorAll('input:checked')].map((input) => input.value);
    } else if (type === 'radio_buttons') {
      value = field.querySelector('input:checked')?.value ?? null;
    } else if (field.multiple) {
      value = [...field.selectedOptions].map((option) => option.value);
    } else {
      value = field.value === '' ? null : field.value;
    }
    values[blockId] = { ...values[blockId], [actionId]: value };
  }
  return values;
}

function restoreValues(root, values) {
  for (const field of root.querySelectorAll('[data-block-id][data-action-id][data-type]')) {
    const { blockId, actionId, type } = field.dataset;
    if (!values[blockId] || !Object.hasOwn(values[blockId], actionId)) continue;
    const value = values[blockId][actionId];
    if (type === 'checkboxes' || type === 'radio_buttons') {
      const chosen = new Set([value].flat().filter((v) => v !== null));
      for (const input of field.querySelectorAll('input')) input.checked = chosen.has(input.value);
    } else if (field.multiple) {
      const chosen = new Set(value ?? []);
      for (const option of field.options) option.selected = chosen.has(option.value);
    } else {
      field.value = value ?? '';
    }
  }
}

function isEmptyValue(value) {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0);
}

// ---------------------------------------------------------------- modal

let renderedModalKey = null;

function renderModal() {
  const root = $('#modal-root');
  const modal = app.data?.modal;
  if (!modal) {
    root.replaceChildren();
    renderedModalKey = null;
    return;
  }
  const key = JSON.stringify([modal, app.user]);
  if (key === renderedModalKey) return;
  const previous = root.querySelector('.modal');
  const keep = previous && previous.dataset.viewId === modal.id ? collectValues(previous) : null;
  renderedModalKey = key;

  const form = el('form', { class: 'modal-body', novalidate: true });
  const errorLine = el('div', { class: 'modal-error', testid: 'modal-error' });
  const ctx = {
    modal: { errors: modal.errors },
    onButton: (element) =>
      act('/api/view-click', {
        user: app.user,
        viewId: modal.id,
        actionId: element.action_id,
        values: collectValues(form),
      }),
  };
  form.append(...renderBlocks(modal.blocks, ctx));
  if (keep) restoreValues(form, keep);

  const cancel = () => act('/api/close-view', { user: app.user, viewId: modal.id });
  const submit = async (event) => {
    event?.preventDefault();
    const values = collectValues(form);
    // Like Slack's client: a required input left empty is flagged here and never sent.
    let missing = false;
    for (const block of modal.blocks) {
      if (block.type !== 'input' || block.optional) continue;
      const value = values[block.block_id]?.[block.element?.action_id];
      const wrapper = form.querySelector(`[data-input-block="${CSS.escape(block.block_id ?? '')}"]`);
      wrapper?.querySelector('.field-error.required')?.remove();
      if (isEmptyValue(value) && block.element && block.element.type in FIELD_TYPES_OR_SELECTS) {
        missing = true;
        wrapper?.append(
          el(
            'div',
            { class: 'field-error required', testid: 'field-error', 'data-block-id': block.block_id },
            'Please complete this required field.',
          ),
        );
      }
    }
    if (missing) return;
    submitButton.disabled = true;
    errorLine.textContent = '';
    const result = await api('/api/submit', { user: app.user, viewId: modal.id, values }).catch((error) => {
      errorLine.textContent = error.message;
      return null;
    });
    submitButton.disabled = false;
    if (result && result.outcome === 'kept_open') {
      errorLine.textContent = `We had some trouble connecting (the bot answered HTTP ${result.status}${bodyText(result.body)}).`;
    }
    scheduleRefresh(0);
  };
  form.addEventListener('submit', submit);

  const submitButton = el(
    'button',
    { type: 'button', class: 'btn primary', testid: 'modal-submit', onclick: submit },
    modal.submit ?? 'Submit',
  );
  const dialog = el(
    'div',
    {
      class: 'modal',
      role: 'dialog',
      'aria-modal': 'true',
      testid: 'modal',
      'data-view-id': modal.id,
      'data-callback-id': modal.callbackId,
    },
    el(
      'div',
      { class: 'modal-header' },
      el('h2', { testid: 'modal-title' }, modal.title),
      el('button', { type: 'button', class: 'modal-close', title: 'Close', onclick: cancel }, '×'),
    ),
    form,
    errorLine,
    el(
      'div',
      { class: 'modal-footer' },
      el(
        'button',
        { type: 'button', class: 'btn', testid: 'modal-cancel', onclick: cancel },
        modal.close ?? 'Cancel',
      ),
      modal.submit ? submitButton : null,
    ),
  );
  root.replaceChildren(el('div', { class: 'modal-backdrop' }, dialog));
  if (!keep) form.querySelector('input, textarea, select')?.focus();
}

const FIELD_TYPES_OR_SELECTS = Object.fromEntries(
  [
    ...Object.keys(FIELD_TYPES),
    'static_select',
    'users_select',
    'multi_static_select',
    'multi_users_select',
    'checkboxes',
    'radio_buttons',
  ].map((type) => [type, true]),
);

// ---------------------------------------------------------------- sidebar, channel, thread

function currentChannel() {
  if (app.selected?.kind !== 'channel') return null;
  return app.data?.channels.find((c) => c.id === app.selected.id) ?? null;
}

function renderSidebar() {
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

function renderMessage(message, channel, { inThread = false } = {}) {
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
            onclick: () => openThread(channel.id, message.ts),
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

function renderEphemeral(ephemeral, channel) {
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

function renderMain() {
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
    ...channel.messages.map((m) => ({ ts: m.ts, node: () => renderMessage(m, channel) })),
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

async function renderThread() {
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

function openThread(channelId, ts) {
  app.thread = { channel: channelId, ts };
  renderThread();
}

function closeThread() {
  app.thread = null;
  renderThread();
}

// ---------------------------------------------------------------- navigation, refresh, live updates

function render() {
  if (!app.data) return;
  if (app.selected?.kind === 'channel' && !currentChannel()) app.selected = null;
  if (!app.selected) {
    const general = app.data.channels.find((c) => c.name === 'general') ?? app.data.channels[0];
    app.selected = general ? { kind: 'channel', id: general.id } : { kind: 'home' };
  }
  renderSidebar();
  renderMain();
  renderModal();
  if (app.thread) renderThread();
}

let refreshTimer = null;
let refreshing = false;
let refreshAgain = false;

function scheduleRefresh(delay = 120) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, delay);
}

async function refresh() {
  if (!app.user) return;
  if (refreshing) {
    refreshAgain = true;
    return;
  }
  refreshing = true;
  try {
    app.data = await api(`/api/state?user=${encodeURIComponent(app.user)}`);
    render();
    document.body.dataset.ready = 'true';
  } catch (error) {
    toast(`Could not load the workspace: ${error.message}`, 'error');
  } finally {
    refreshing = false;
    if (refreshAgain) {
      refreshAgain = false;
      scheduleRefresh(0);
    }
  }
}

function applyHash() {
  const hash = location.hash.slice(1);
  if (hash === 'home') {
    const opening = app.selected?.kind !== 'home';
    app.selected = { kind: 'home' };
    // Like Slack: opening the Home tab sends app_home_opened, and the bot publishes the view.
    if (opening && app.user) act('/api/home-opened', { user: app.user });
  } else if (hash.startsWith('channel/'))
    app.selected = { kind: 'channel', id: hash.slice('channel/'.length) };
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
  const { users, title, commands } = await api('/api/users');
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
    renderedModalKey = null;
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

start().catch((error) => toast(`The sandbox page failed to start: ${error.message}`, 'error'));
