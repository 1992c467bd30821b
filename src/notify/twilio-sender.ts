import type { NotifyProviders } from '../config.js';
import type { ChannelSender, PageMessage, SendOutcome } from '../escalation/delivery-port.js';
import { fetchOutcome, isRetryableStatus } from './http-outcome.js';

type Twilio = NonNullable<NotifyProviders['twilio']>;

/** Twilio error codes worth a plain sentence in the incident channel. */
const KNOWN_ERRORS: Record<number, string> = {
  21211: 'invalid number',
  21614: 'not a mobile number',
  21610: 'unsubscribed (the number replied STOP)',
  20429: 'too many requests',
};

const RETRYABLE_CODES = new Set([20429]);

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char]!,
  );
}

/** Where Twilio posts a call's final status (busy, no-answer, failed, canceled, completed). */
export const CALL_STATUS_PATH = '/integrations/twilio/voice/status';

/**
 * The call: reads the page, then "press 1 to acknowledge", posted to /integrations/twilio/voice. A
 * test call (no ack link) only reads its message.
 */
export function pageCallTwiml(message: PageMessage, publicUrl: string): string {
  const action = escapeXml(`${publicUrl}/integrations/twilio/voice`);
  const said = escapeXml(`${message.title}. ${message.body}`);
  if (message.ackUrl === null)
    return `<?xml version="1.0" encoding="UTF-8"?><Response><Say>${said}</Say><Say>Goodbye.</Say></Response>`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?><Response>' +
    `<Gather numDigits="1" action="${action}" method="POST">` +
    `<Say>Incident bot page. ${said}</Say><Say>Press 1 to acknowledge.</Say></Gather>` +
    '<Say>No answer received. Goodbye.</Say></Response>'
  );
}

/**
 * SMS and voice through Twilio's REST API: `POST /2010-04-01/Accounts/<sid>/Messages.json` or
 * `Calls.json`, form-encoded, basic auth with the account SID and auth token. Calls ask for their
 * final status at `CALL_STATUS_PATH` (`StatusCallback`; Twilio's default event is `completed`, which
 * carries busy, no-answer, failed and canceled too). `publicUrl` may be a function: where the bot
 * listens is known only once it does.
 */
export function createTwilioSenders(
  twilio: Twilio,
  publicUrl: string | (() => string),
): { sms: ChannelSender; voice: ChannelSender } {
  const base = () => (typeof publicUrl === 'string' ? publicUrl : publicUrl()).replace(/\/$/, '');
  const post = (resource: 'Messages' | 'Calls', form: Record<string, string>) =>
    fetchOutcome(
      () =>
        fetch(
          `${twilio.apiUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${twilio.accountSid}/${resource}.json`,
          {
            method: 'POST',
            headers: {
              authorization: `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`,
              'content-type': 'application/x-www-form-urlencoded',
            },
            body: new URLSearchParams(form),
            signal: AbortSignal.timeout(15_000),
          },
        ),
      readTwilioAnswer,
    );
  return {
    sms: {
      channel: 'sms',
      send: (to, message) =>
        post('Messages', {
          To: to,
          From: twilio.from,
          Body:
            message.ackUrl === null
              ? `${message.title}\n${message.body}`
              : `${message.title}\n${message.body}\nReply ACK to acknowledge, or open ${message.ackUrl}`,
        }),
    },
    voice: {
      channel: 'voice',
      send: (to, message) =>
        post('Calls', {
          To: to,
          From: twilio.from,
          Twiml: pageCallTwiml(message, base()),
          StatusCallback: `${base()}${CALL_STATUS_PATH}`,
          StatusCallbackMethod: 'POST',
        }),
    },
  };
}

async function readTwilioAnswer(response: Response): Promise<SendOutcome> {
  const body = (await response.json().catch(() => ({}))) as { sid?: string; code?: number; message?: string };
  if (response.ok && typeof body.sid === 'string') return { ok: true, receipt: body.sid };
  const code = typeof body.code === 'number' ? body.code : undefined;
  const known = code === undefined ? undefined : KNOWN_ERRORS[code];
  const error = `${known ?? body.message ?? `HTTP ${response.status}`}${code === undefined ? '' : ` (Twilio ${code})`}`;
  return {
    ok: false,
    retryable: isRetryableStatus(response.status) || (code !== undefined && RETRYABLE_CODES.has(code)),
    error,
  };
}
