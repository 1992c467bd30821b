import slugify from '@sindresorhus/slugify';

export const MAX_CHANNEL_NAME_LENGTH = 80;

/**
 * `inc-<number>-<slug>` within Slack's rules: lowercase letters, digits and `-`, at most 80
 * characters. Titles in other scripts are transliterated where a transliteration exists
 * (Cyrillic, Greek, accents); what has none (CJK, emoji, symbols) leaves just `inc-<number>`.
 * `attempt` > 1 adds `-<attempt>` for the `name_taken` retry without passing the limit.
 */
export function incidentChannelName(incidentNumber: number, title: string, attempt = 1): string {
  const prefix = `inc-${incidentNumber}`;
  const suffix = attempt > 1 ? `-${attempt}` : '';
  const slug = slugify(title, { separator: '-', lowercase: true, decamelize: false });
  const room = MAX_CHANNEL_NAME_LENGTH - prefix.length - suffix.length - 1;
  const cut = truncateAtWord(slug, room);
  return cut ? `${prefix}-${cut}${suffix}` : `${prefix}${suffix}`;
}

/** `room` is positive (prefix and suffix are numbers, under 25 characters each); slugify leaves no `--` or edge `-`. */
function truncateAtWord(slug: string, room: number): string {
  if (slug.length <= room) return slug;
  const hard = slug.slice(0, room);
  const lastDash = hard.lastIndexOf('-');
  // Cut at a word boundary when one is reasonably close; otherwise cut mid-word.
  return lastDash >= room / 2 ? hard.slice(0, lastDash) : hard;
}
