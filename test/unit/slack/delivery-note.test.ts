import { describe, expect, it } from 'vitest';
import { failureReason } from '../../../src/escalation/delivery-outcomes.js';
import { deliveryNoteText } from '../../../src/slack/delivery-notifier.js';

describe('the line when the bot could not reach someone', () => {
  it('names the person by mention when their Slack id is known, and escapes everything else', () => {
    const note = { person: 'U0BOB', userId: null, channel: 'sms' as const, reason: 'invalid number' };
    expect(deliveryNoteText(note)).toBe(':warning: Could not reach <@U0BOB> by sms: invalid number');
    expect(
      deliveryNoteText({ ...note, person: '<!channel>@acme.test', reason: 'mailbox <!here> full & gone' }),
    ).toBe(
      ':warning: Could not reach &lt;!channel&gt;@acme.test by sms: mailbox &lt;!here&gt; full &amp; gone',
    );
  });

  it("says why in a person's words: Twilio's named codes, a bounce, a throttle", () => {
    const step = (channel: 'sms' | 'voice' | 'email', status: 'failed' | 'throttled', error: string) => ({
      channel,
      status,
      error,
    });
    expect(failureReason(step('sms', 'failed', 'invalid number (Twilio 21211)'))).toBe('invalid number');
    expect(failureReason(step('email', 'failed', 'email: 550 mailbox bob@acme.test unavailable'))).toBe(
      'email bounced: 550 mailbox bob@acme.test unavailable',
    );
    expect(failureReason(step('voice', 'throttled', 'over the voice limit for +1555'))).toBe(
      'throttled (at most 3 calls per 15 minutes to one number)',
    );
    expect(failureReason(step('sms', 'failed', 'x'.repeat(500)))).toHaveLength(200);
  });
});
