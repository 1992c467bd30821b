import { SEVERITIES, type Severity } from '../../incidents/incident-types.js';

/** `#12`, `inc-12`, or an incident channel's name such as `inc-12-checkout-down`. */
const REFERENCE = /^(?:#|inc-)\d{1,9}(?:-[a-z0-9_-]*)?$/i;

export function isReference(token: string): boolean {
  return REFERENCE.test(token);
}

/** `<@U123|alice>` (Slack escapes mentions for commands with should_escape), `<@U123>` or a bare id. */
export function parseUserMention(token: string): string | null {
  const match = /^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$/.exec(token) ?? /^([UW][A-Z0-9]{8,})$/.exec(token);
  return match ? match[1]! : null;
}

/** `SEV2`, `sev2`, `SEV-2` or `2`. */
export function parseSeverity(value: string): Severity | null {
  const level = /^(?:sev-?)?(\d)$/i.exec(value)?.[1];
  return SEVERITIES.find((s) => s === `SEV${level}`) ?? null;
}

/**
 * Something Slack would read as a control sequence once `&lt;`/`&gt;` are decoded: a special mention
 * (`<!channel>`), a user or channel mention, or a link. Typed text like that stays escaped.
 */
const ESCAPED_CONTROL = /&lt;(?:[!@#]|[a-z][a-z0-9+.-]*:).*?&gt;/gis;

/**
 * The command is escaped by Slack (should_escape): mentions arrive as `<@U…|name>`, channels as
 * `<#C…|name>`, links as `<url|label>`, and `&<>` as entities. A title wants the readable text, but
 * what the user typed as `&lt;!channel&gt;` must never come back as a live `<!channel>`.
 */
export function unescapeSlackText(text: string): string {
  const readable = text
    .replace(/<([@#])[A-Z0-9]+\|([^>]*)>/g, '$1$2')
    .replace(/<(?:[@#!])([^>|]+)>/g, '$1')
    .replace(/<([^>|]+)\|([^>]*)>/g, '$2')
    .replace(/<([^>]+)>/g, '$1');
  let rest = 0;
  let out = '';
  for (const match of readable.matchAll(ESCAPED_CONTROL)) {
    out += decodeEntities(readable.slice(rest, match.index)) + match[0];
    rest = match.index + match[0].length;
  }
  return out + decodeEntities(readable.slice(rest));
}

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
