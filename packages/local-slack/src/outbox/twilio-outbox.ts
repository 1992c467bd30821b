import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { listenOnLoopback, readText } from './listen.js';
import { type OutboxLog, twimlSaid, unescapeXml } from './outbox-log.js';

export interface SentByTwilio {
  resource: 'Messages' | 'Calls';
  sid: string;
  fields: Record<string, string>;
}

export interface TwilioOutboxOptions {
  accountSid?: string;
  authToken?: string;
  /** Where each accepted SMS and call is also listed (the Outbox panel). */
  log?: OutboxLog;
  port?: number;
  /** The app's inbound-SMS webhook (the number's "A message comes in" URL), for `reply`. */
  smsWebhookUrl?: () => string | undefined;
}

/** What the app answered a webhook with: its HTTP status and the text of its TwiML reply. */
export interface WebhookAnswer {
  status: number;
  said: string;
}

export interface TwilioOutbox {
  /** The bot's TWILIO_API_URL. */
  url: string;
  accountSid: string;
  authToken: string;
  sent: SentByTwilio[];
  /** Requests answered, failures included. */
  readonly requests: number;
  /** Numbers Twilio refuses: 21211 (invalid) or 21610 (replied STOP). */
  refuse(number: string, code: 21211 | 21610): void;
  /** The next `count` requests fail with this HTTP status (500, 503, 429 → Twilio 20429). */
  failNext(status: number, count?: number): void;
  /** Posts a webhook to `url` signed as Twilio signs them (`X-Twilio-Signature`). */
  postSigned(url: string, fields: Record<string, string>, token?: string): Promise<Response>;
  /**
   * What the person would do with a message sent earlier (by its sid): an SMS is answered "ACK"
   * (to `smsWebhookUrl`), a call gets the digit 1 (to its `<Gather action>`).
   */
  reply(sid: string): Promise<WebhookAnswer>;
  /**
   * Ends a placed call as Twilio reports it: a signed status webhook to the call's `StatusCallback`
   * (`CallSid`, `CallStatus`, `AccountSid`, `From`, `To`, `CallDuration`, …).
   */
  callStatus(
    sid: string,
    status: 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled',
    token?: string,
  ): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Twilio's webhook signature: HMAC-SHA1 keyed by the auth token over the URL, then each POST field
 * name and value sorted by name; base64.
 */
export function signTwilioWebhook(authToken: string, url: string, fields: Record<string, string>): string {
  const signed = [
    url,
    ...Object.keys(fields)
      .sort()
      .map((name) => `${name}${fields[name]}`),
  ].join('');
  return createHmac('sha1', authToken).update(signed, 'utf8').digest('base64');
}

/** The fake's account unless told otherwise (a valid-looking SID, a token of Twilio's length). */
export const FAKE_TWILIO_ACCOUNT = {
  accountSid: `AC${'5'.repeat(32)}`,
  authToken: 'fake-twilio-auth-token-0123456789',
};

const ERROR_MESSAGES: Record<number, string> = {
  21211: "The 'To' number is not a valid phone number.",
  21610: 'Attempt to send to unsubscribed recipient',
  20429: 'Too Many Requests',
  20003: 'Authenticate',
};

const errorAnswer = (status: number, code: number) => ({
  status,
  body: {
    code,
    message: ERROR_MESSAGES[code],
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  },
});

/**
 * A local Twilio REST API: `POST /2010-04-01/Accounts/<sid>/Messages.json` and `Calls.json`,
 * form-encoded with basic auth, answered with Twilio's shapes (201 with a `sid`) and error codes
 * (20003 bad auth, 21211, 21610, 20429).
 */
export async function startTwilioOutbox(options: TwilioOutboxOptions = {}): Promise<TwilioOutbox> {
  const accountSid = options.accountSid ?? FAKE_TWILIO_ACCOUNT.accountSid;
  const authToken = options.authToken ?? FAKE_TWILIO_ACCOUNT.authToken;
  const auth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const sent: SentByTwilio[] = [];
  const refused = new Map<string, number>();
  const failures: number[] = [];
  let requests = 0;
  let counter = 0;
  const accept = (resource: 'Messages' | 'Calls', fields: Record<string, string>) => {
    const sid = `${resource === 'Messages' ? 'SM' : 'CA'}${String(++counter).padStart(32, '0')}`;
    sent.push({ resource, sid, fields });
    const to = fields.To ?? '';
    const from = fields.From ?? '';
    options.log?.add(
      resource === 'Messages'
        ? { kind: 'sms', id: sid, to, from, body: fields.Body ?? '' }
        : { kind: 'call', id: sid, to, from, said: twimlSaid(fields.Twiml ?? '') },
    );
    return { status: 201, body: { sid, account_sid: accountSid, to, from, status: 'queued' } };
  };
  const answerFor = (
    method: string | undefined,
    path: string,
    authorization: string | undefined,
    raw: string,
  ) => {
    const match = /^\/2010-04-01\/Accounts\/(AC\w+)\/(Messages|Calls)\.json$/.exec(path);
    if (!match || method !== 'POST')
      return { status: 404, body: { code: 20404, message: 'Not Found', status: 404 } };
    if (authorization !== auth || match[1] !== accountSid) return errorAnswer(401, 20003);
    const failure = failures.shift();
    if (failure === 429) return errorAnswer(429, 20429);
    if (failure !== undefined)
      return { status: failure, body: { message: 'Internal error', status: failure } };
    const fields = Object.fromEntries(new URLSearchParams(raw));
    const code = refused.get(fields.To ?? '');
    if (code !== undefined) return errorAnswer(400, code);
    return accept(match[2] as 'Messages' | 'Calls', fields);
  };
  const server = createServer(async (req, res) => {
    const raw = await readText(req);
    requests++;
    const answer = answerFor(req.method, req.url ?? '', req.headers.authorization, raw);
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  const port = await listenOnLoopback(server, options.port ?? 0);
  const postSigned = (url: string, fields: Record<string, string>, token = authToken) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signTwilioWebhook(token, url, fields),
      },
      body: new URLSearchParams(fields),
    });
  const reply = async (sid: string): Promise<WebhookAnswer> => {
    const message = sent.find((s) => s.sid === sid);
    if (!message) throw new Error(`Twilio sent nothing with sid ${sid}`);
    const { To: to = '', From: from = '' } = message.fields;
    const [url, fields, verb] =
      message.resource === 'Messages'
        ? [
            options.smsWebhookUrl?.(),
            { AccountSid: accountSid, MessageSid: `${sid}R`, From: to, To: from, Body: 'ACK' },
            'Message' as const,
          ]
        : [
            gatherAction(message.fields.Twiml ?? ''),
            { AccountSid: accountSid, CallSid: sid, From: from, To: to, Digits: '1' },
            'Say' as const,
          ];
    if (!url)
      throw new Error(
        message.resource === 'Messages' ? 'no SMS webhook URL to reply to' : 'the call gathers no digits',
      );
    const response = await postSigned(url, fields);
    const text = await response.text();
    return { status: response.status, said: twimlSaid(text, verb).join(' ') || text.trim() };
  };
  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    sent,
    get requests() {
      return requests;
    },
    refuse: (number, code) => refused.set(number, code),
    failNext: (status, count = 1) => failures.push(...Array<number>(count).fill(status)),
    postSigned,
    reply,
    callStatus: (sid, status, token) => {
      const call = sent.find((s) => s.sid === sid && s.resource === 'Calls');
      if (!call?.fields.StatusCallback) throw new Error(`twilio fake: call ${sid} has no StatusCallback`);
      return postSigned(
        call.fields.StatusCallback,
        {
          AccountSid: accountSid,
          ApiVersion: '2010-04-01',
          CallSid: sid,
          CallStatus: status,
          CallDuration: status === 'completed' ? '12' : '0',
          Direction: 'outbound-api',
          From: call.fields.From ?? '',
          To: call.fields.To ?? '',
        },
        token,
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Where a call's `<Gather>` posts the digits pressed. */
function gatherAction(twiml: string): string | undefined {
  const action = /<Gather\b[^>]*\baction="([^"]*)"/.exec(twiml)?.[1];
  return action === undefined ? undefined : unescapeXml(action);
}
