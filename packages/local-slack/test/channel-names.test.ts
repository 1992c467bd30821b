import { describe, expect, it } from 'vitest';
import { channelNameError } from '../src/slack-fake/channel-names.js';

describe('Slack channel naming rules', () => {
  it.each([
    ['inc-12-api-latency', null],
    ['under_score_9', null],
    ['', 'invalid_name_required'],
    ['a'.repeat(80), null],
    ['a'.repeat(81), 'invalid_name_maxlength'],
    ['Inc-12', 'invalid_name_specials'],
    ['inc 12', 'invalid_name_specials'],
    ['inc.12', 'invalid_name_specials'],
    ['inc#12', 'invalid_name_specials'],
    ['---', 'invalid_name_punctuation'],
    ['_-_', 'invalid_name_punctuation'],
  ])('"%s" → %s', (name, expected) => {
    expect(channelNameError(name)).toBe(expected);
  });
});
