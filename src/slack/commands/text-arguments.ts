import { clip, refuse } from './grammar.js';
import { slackToPlain } from './slack-words.js';

/** The reader of a link with its title (the action item's reader is followup-item.ts). */

export const MAX_TITLE_LENGTH = 150;
export const MAX_FREE_TEXT = 3000;

type Refusal = ReturnType<typeof refuse>;

/** What Slack sends for a typed link: `<https://…>` or `<https://…|label>` (a bare URL too). */
const SLACK_LINK = /^(?:<(https?:\/\/[^|>\s]+)(?:\|([^>]*))?>|(https?:\/\/[^\s<>|]+))(?:\s+([\s\S]*))?$/;

/** `<url> [title]`: the URL as Slack sends it, then an optional title (the label when none). */
export function readLink(input: string): { url: string; title: string | null } | Refusal {
  const match = SLACK_LINK.exec(input);
  if (!match)
    return refuse(`\`${clip(input, 40)}\` is not a link: start with an http:// or https:// address.`);
  // The parser hands over the rest of the line trimmed, and `\s+` takes the spaces before a title.
  const label = match[4] || match[2]?.trim() || null;
  const title = label === null ? null : slackToPlain(label);
  if (title && [...title].length > MAX_TITLE_LENGTH)
    return refuse(`Keep the link's title to ${MAX_TITLE_LENGTH} characters.`);
  return { url: (match[1] ?? match[3])!, title };
}
