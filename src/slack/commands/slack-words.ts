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
 * The command is escaped by Slack (should_escape): mentions arrive as `<@U…|name>`, channels as
 * `<#C…|name>`, links as `<url|label>`, and `&<>` as entities. Free text is kept as the plain text the
 * user saw (`@bob`, `#ops`, `@channel`, `<!channel>` typed literally), never as markup: the views
 * escape it on output, and mentions are written only from ids the parser resolved (`@owner`).
 */
export { slackToPlain } from '../views/escape.js';
