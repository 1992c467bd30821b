import type { StoredOverride } from '../../escalation/overrides-repo.js';
import type { OverrideAnnouncement } from '../../jobs/override-announce.js';
import { mrkdwn } from './escape.js';
import { slackDate } from './format.js';

/**
 * Lines shown by `/incident oncall overrides` before "…and N more". The answer is plain message text
 * (no blocks), which Slack takes up to 40,000 characters; 20 of the longest lines are about 5,500.
 */
const MAX_LISTED = 20;

/** A person as oncall.yaml names them: a Slack id becomes a mention, an email stays as written. */
export function personMention(idOrEmail: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(idOrEmail) ? `<@${idOrEmail}>` : mrkdwn(idOrEmail);
}

const people = (list: string[]) => list.map(personMention).join(', ');

export const cancelHint = (id: number) => `\`/incident oncall override cancel ${id}\``;

/** What the schedule's channel, or the people concerned, are told when an override is placed or cancelled. */
export function buildOverrideAnnouncement(a: OverrideAnnouncement): { text: string } {
  const who = personMention(a.userId);
  const until = slackDate(a.endsAt);
  if (a.event === 'cancelled') {
    const back = a.others.length > 0 ? `${people(a.others)} back on call` : 'the rota applies again';
    return {
      text: `:leftwards_arrow_with_hook: ${personMention(a.actor)} cancelled override ${a.overrideId}, which put ${who} on call for *${a.schedule}* until ${until}: ${back}.`,
    };
  }
  const instead = a.others.length > 0 ? `, instead of ${people(a.others)}` : ', where nobody was on call';
  const by = a.actor === a.userId ? '' : ` (set by ${personMention(a.actor)})`;
  return {
    text: `:repeat: ${who} is on call for *${a.schedule}* from ${slackDate(a.startsAt)} until ${until}${instead}${by}. Override ${a.overrideId}; cancel it with ${cancelHint(a.overrideId)}.`,
  };
}

/** `/incident oncall overrides`: current and future overrides with their ids, soonest first. */
export function buildOverrideList(
  overrides: StoredOverride[],
  now: Date,
  schedule: string | null,
): { text: string } {
  const where = schedule ? ` on *${schedule}*` : '';
  if (overrides.length === 0) return { text: `No overrides now or to come${where}.` };
  const sorted = [...overrides].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.id - b.id);
  const lines = sorted.slice(0, MAX_LISTED).map((o) => {
    const when =
      o.startsAt <= now
        ? `now until ${slackDate(o.endsAt)}`
        : `${slackDate(o.startsAt)} until ${slackDate(o.endsAt)}`;
    const by = o.createdBy === o.userId ? '' : ` (set by ${personMention(o.createdBy)})`;
    return `• \`${o.id}\` *${o.schedule}*: ${personMention(o.userId)}, ${when}${by}`;
  });
  const more = sorted.length > MAX_LISTED ? [`…and ${sorted.length - MAX_LISTED} more.`] : [];
  return {
    text: [
      `*Overrides${where}* (id, schedule, who, when)`,
      ...lines,
      ...more,
      'Cancel one with `/incident oncall override cancel <id>`.',
    ].join('\n'),
  };
}
