import { clip, refuse } from './grammar.js';
import { parseUserMention, slackToPlain } from './slack-words.js';

/** Readers of the free-form arguments that carry structure: a link with its title, an action item. */

export const MAX_TITLE_LENGTH = 150;
export const MAX_FREE_TEXT = 3000;

type Refusal = ReturnType<typeof refuse>;

/** What Slack sends for a typed link: `<https://…>` or `<https://…|label>` (a bare URL too). */
const SLACK_LINK = /^(?:<(https?:\/\/[^|>\s]+)(?:\|([^>]*))?>|(https?:\/\/[^\s<>|]+))(?:\s+([\s\S]*))?$/;

/** `<url> [title]`: the URL as Slack sends it, then an optional title (the label when none). */
export function readLink(input: string): { url: string; title: string | null } | Refusal {
  const match = SLACK_LINK.exec(input.trim());
  if (!match)
    return refuse(`\`${clip(input, 40)}\` is not a link: start with an http:// or https:// address.`);
  const label = match[4]?.trim() || match[2]?.trim() || null;
  const title = label === null ? null : slackToPlain(label);
  if (title && [...title].length > MAX_TITLE_LENGTH)
    return refuse(`Keep the link's title to ${MAX_TITLE_LENGTH} characters.`);
  return { url: (match[1] ?? match[3])!, title };
}

interface FollowupItem {
  text: string;
  ownerId: string | null;
  dueDate: string | null;
}

/** Owner and due date are read off the end, in either order: `@owner due D` or `due D @owner`. */
export function readFollowup(input: string): FollowupItem | Refusal {
  const item: FollowupItem = { text: input, ownerId: null, dueDate: null };
  for (const take of [takeDue, takeOwner, takeDue]) {
    const refused = take(item);
    if (refused) return refused;
  }
  if (item.text === '')
    return refuse(
      'Write the action item: `/incident followup Add an alert on queue depth @owner due 2026-12-01`.',
    );
  if (item.text.length > MAX_FREE_TEXT) return refuse(`Keep the action item to ${MAX_FREE_TEXT} characters.`);
  return { ...item, text: slackToPlain(item.text) };
}

function takeDue(item: FollowupItem) {
  const due = item.dueDate === null ? /(?:^|\s+)due\s+(\d{4}-\d{2}-\d{2})$/i.exec(item.text) : null;
  if (!due) return null;
  if (!isRealDate(due[1]!)) return refuse(`"${due[1]}" is not a date: use YYYY-MM-DD.`);
  item.dueDate = due[1]!;
  item.text = item.text.slice(0, due.index);
  return null;
}

/** Taken once, between the two looks for a due date. */
function takeOwner(item: FollowupItem) {
  const owner = /(?:^|\s+)(<@[UW][A-Z0-9]{2,}(?:\|[^>]*)?>)$/.exec(item.text);
  if (!owner) return null;
  item.ownerId = parseUserMention(owner[1]!);
  item.text = item.text.slice(0, owner.index);
  return null;
}

function isRealDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
