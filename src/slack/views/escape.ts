/**
 * User text on its way out to Slack. Everything a person typed (titles, summaries, updates, notes,
 * resolutions, follow-ups, link titles, names) is stored as the plain text they meant, and becomes
 * Slack markup only here: escaped, so `<!channel>`, `<!here>`, `<@U…>` or `<url|label>` typed by a
 * person are shown as text. Mentions are written by the views from structured user ids only.
 */

const MRKDWN_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** User text for a mrkdwn field or a message's fallback `text`: Slack's three control characters escaped. */
export function mrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => MRKDWN_ENTITIES[c]!);
}

/**
 * User text for a `plain_text` field (headers, button and option labels, modal titles): Slack shows
 * it as typed, never as markup, so it only loses control characters other than line breaks and tabs.
 */
export function plain(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

const ELLIPSIS = '…';

/**
 * Cuts escaped (or plain) text to at most `max` UTF-16 units, the measure Slack's limits are checked
 * in, ending with "…" when cut. Never cuts inside an entity (`&amp;`) or a surrogate pair, so what is
 * left is still valid mrkdwn that reads the same.
 */
export function cutTo(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - ELLIPSIS.length);
  const entity = /&(?:a|am|amp|l|lt|g|gt)?$/.exec(text.slice(Math.max(0, end - 4), end));
  if (entity) end -= entity[0].length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end) + ELLIPSIS;
}

/** User text as mrkdwn, escaped first and then cut to `max`: the escaping never pushes it over. */
export function mrkdwnFit(text: string, max: number): string {
  return cutTo(mrkdwn(text), max);
}

/** User text for a plain_text field of at most `max` characters. */
export function plainFit(text: string, max: number): string {
  return cutTo(plain(text), max);
}

/**
 * Lines spread over as few chunks as possible, each at most `max` characters once joined with
 * newlines (a longer line is cut), so a long list becomes several sections instead of one Slack refuses.
 */
export function chunkLines(lines: readonly string[], max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = cutTo(raw, max);
    if (current !== '' && current.length + 1 + line.length > max) {
      chunks.push(current);
      current = '';
    }
    current = current === '' ? line : `${current}\n${line}`;
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

/**
 * Slack's escaped form of typed text (what slash commands and message events carry) as the plain
 * text its author saw: `<@U1|bob>` is `@bob`, `<#C1|ops>` is `#ops`, `<!here>` is `@here`, a link is
 * its label (with the address when the label hides it), and `&lt;` `&gt;` `&amp;` are decoded once.
 * The result is never markup: it is escaped again on output.
 */
export function slackToPlain(text: string): string {
  return text.replace(/<([^<>]*)>|&(lt|gt|amp);/g, (_, token: string | undefined, entity?: string) =>
    token === undefined ? { lt: '<', gt: '>', amp: '&' }[entity as 'lt' | 'gt' | 'amp'] : readToken(token),
  );
}

function readToken(token: string): string {
  const bar = token.indexOf('|');
  const target = bar < 0 ? token : token.slice(0, bar);
  const label = bar < 0 ? null : token.slice(bar + 1);
  const decoded = label === null ? null : slackToPlain(label);
  if (target.startsWith('@') || target.startsWith('#')) return `${target[0]}${decoded || target.slice(1)}`;
  if (target.startsWith('!')) {
    const name = target.slice(1);
    if (decoded) return decoded.startsWith('@') || name.startsWith('date^') ? decoded : `@${decoded}`;
    return `@${name.replace(/^subteam\^/, '')}`;
  }
  const url = slackToPlain(target);
  if (!decoded) return url.replace(/^mailto:/, '');
  const bare = url.replace(/^(?:https?:\/\/|mailto:)/, '').replace(/\/$/, '');
  return decoded === url || decoded === bare ? decoded : `${decoded} (${url})`;
}
