import { createOutboxLog, type OutboxLog } from './outbox-log.js';
import { type PushOutbox, startPushOutbox } from './push-outbox.js';
import { type SmtpOutbox, startSmtpOutbox } from './smtp-outbox.js';
import { startTwilioOutbox, type TwilioOutbox } from './twilio-outbox.js';

export interface ProviderOutbox {
  /** Every email, SMS, call and push sent, for the page's Outbox panel. */
  log: OutboxLog;
  smtp: SmtpOutbox;
  twilio: TwilioOutbox;
  push: PushOutbox;
  /** The environment an app needs to send through them (SMTP_URL, EMAIL_FROM, TWILIO_*, PUSH_URL). */
  env: {
    SMTP_URL: string;
    EMAIL_FROM: string;
    TWILIO_ACCOUNT_SID: string;
    TWILIO_AUTH_TOKEN: string;
    TWILIO_FROM: string;
    TWILIO_API_URL: string;
    PUSH_URL: string;
  };
  close(): Promise<void>;
}

/** The number the fake's SMS and calls come from. */
export const OUTBOX_TWILIO_FROM = '+15550100000';

/**
 * The three provider fakes on free loopback ports, writing to one log: an SMTP server (plain SMTP,
 * no AUTH, no STARTTLS: nothing leaves the machine), a Twilio REST fake and an ntfy-style receiver.
 */
export async function startProviderOutbox(
  options: { emailFrom?: string; smsWebhookUrl?: () => string | undefined } = {},
): Promise<ProviderOutbox> {
  const log = createOutboxLog();
  const [smtp, twilio, push] = await Promise.all([
    startSmtpOutbox({ credentials: null, starttls: false, log }),
    startTwilioOutbox({ log, smsWebhookUrl: options.smsWebhookUrl }),
    startPushOutbox({ log }),
  ]);
  return {
    log,
    smtp,
    twilio,
    push,
    env: {
      SMTP_URL: smtp.url,
      EMAIL_FROM: options.emailFrom ?? 'pager@sandbox.test',
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: OUTBOX_TWILIO_FROM,
      TWILIO_API_URL: twilio.url,
      PUSH_URL: push.url,
    },
    close: async () => {
      await Promise.all([smtp.close(), twilio.close(), push.close()]);
    },
  };
}
