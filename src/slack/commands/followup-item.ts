import { type Refusal, refuse } from './grammar.js';
import { parseUserMention, slackToPlain } from './slack-words.js';

/**
 * `/incident followup <text> [@owner] [due YYYY-MM-DD]`: the action item's text, with its owner and due
 * date read off the end (command-specs.ts declares the command).
 */
export interface FollowupItem {
  text: string;
  ownerId: string | null;
  dueDate: string | null;
}

/** Owner and due date are read off the end, in either order: `@owner due D` or `due D @owner`. */
export function readFollowupItem(input: string, maxLength: number): FollowupItem | Refusal {
  const item: FollowupItem = { text: input, ownerId: null, dueDate: null };
  for (const take of [takeDue, takeOwner, takeDue]) {
    const refused = take(item);
    if (refused) return refused;
  }
  if (item.text === '')
    return refuse(
      'Write the action item: `/incident followup Add an alert on queue depth @owner due 2026-12-01`.',
    );
  if (item.text.length > maxLength) return refuse(`Keep the action item to ${maxLength} characters.`);
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
