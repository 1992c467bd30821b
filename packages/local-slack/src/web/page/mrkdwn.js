import { el, escapeHtml } from './dom.js';
import { app } from './page-state.js';

// Slack's text formats (mrkdwn, plain_text, emoji codes) → HTML.

export const EMOJI = {
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
export function mrkdwn(text) {
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

export function textObject(object, className = 'mrkdwn') {
  if (!object) return el('span');
  if (object.type === 'mrkdwn') return el('div', { class: className, html: mrkdwn(object.text) });
  return el('div', { class: className, style: 'white-space: pre-wrap' }, emojify(object.text ?? ''));
}

export function emojify(text) {
  return String(text).replace(/:([a-z0-9_+-]+):/g, (match, name) => EMOJI[name] ?? match);
}

export function plain(object) {
  return object?.text ?? '';
}

export function unsupported(kind, type) {
  return el('span', { class: 'unsupported', testid: 'unsupported' }, `[unsupported ${kind}: ${type}]`);
}
