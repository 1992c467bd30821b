/** Slack's channel naming rules (conversations.create / rename): lowercase letters, digits, `-` and `_`. */
export const CHANNEL_NAME_MAX_LENGTH = 80;

/** Returns the error code Slack gives for a bad channel name, or null when the name is acceptable. */
export function channelNameError(name: string | undefined): string | null {
  if (name === undefined || name === '') return 'invalid_name_required';
  if (name.length > CHANNEL_NAME_MAX_LENGTH) return 'invalid_name_maxlength';
  if (!/^[a-z0-9_-]+$/.test(name)) return 'invalid_name_specials';
  if (/^[-_]+$/.test(name)) return 'invalid_name_punctuation';
  return null;
}
