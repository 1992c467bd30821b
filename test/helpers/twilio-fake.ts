import { createServer, type Server } from 'node:http';
import { listen } from '../../src/http/server.js';
import { twilioSignature } from '../../src/notify/twilio-signature.js';

export interface SentByTwilio {
  resource: 'Messages' | 'Calls';
  sid: string;
  fields: Record<string, string>;
}

export interface TwilioFake {
  url: string;
  accountSid: string;
  authToken: string;
  sent: SentByTwilio[];
  /** Requests answered, failures included. */
  requests: number;
  /** Numbers Twilio refuses: 21211 (invalid) or 21610 (replied STOP). */
  refuse(number: string, code: 21211 | 21610): void;
  /** The next `count` requests fail with this HTTP status (500, 503, 429 → Twilio 20429). */
  failNext(status: number, count?: number): void;
  /** Posts a signed inbound webhook (an SMS reply, a pressed digit) to `url`, as Twilio does. */
  postSigned(url: string, fields: Record<string, string>, token?: string): Promise<Response>;
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

const ERROR_MESSAGES: Record<number, string> = {
  21211: "The 'To' number is not a valid phone number.",
  21610: 'Attempt to send to unsubscribed recipient',
  20429: 'Too Many Requests',
  20003: 'Authenticate',
};

/** A local Twilio REST API: the Messages.json and Calls.json shapes and error codes the bot uses. */
export async function startTwilioFake(): Promise<TwilioFake> {
  const accountSid = `AC${'5'.repeat(32)}`;
  const authToken = 'fake-twilio-auth-token-0123456789';
  const sent: SentByTwilio[] = [];
  const refused = new Map<string, number>();
  const failures: number[] = [];
  let requests = 0;
  let counter = 0;
  const error = (status: number, code: number) => ({
    status,
    body: {
      code,
      message: ERROR_MESSAGES[code],
      more_info: `https://www.twilio.com/docs/errors/${code}`,
      status,
    },
  });
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      requests++;
      const match = /^\/2010-04-01\/Accounts\/(AC\w+)\/(Messages|Calls)\.json$/.exec(req.url ?? '');
      const fields = Object.fromEntries(new URLSearchParams(raw));
      const auth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
      let answer: { status: number; body: unknown };
      const failure = failures.shift();
      if (!match || req.method !== 'POST')
        answer = { status: 404, body: { code: 20404, message: 'Not Found', status: 404 } };
      else if (req.headers.authorization !== auth || match[1] !== accountSid) answer = error(401, 20003);
      else if (failure !== undefined)
        answer =
          failure === 429
            ? error(429, 20429)
            : { status: failure, body: { message: 'Internal error', status: failure } };
      else if (refused.has(fields.To ?? '')) answer = error(400, refused.get(fields.To ?? '')!);
      else {
        const resource = match[2] as 'Messages' | 'Calls';
        const sid = `${resource === 'Messages' ? 'SM' : 'CA'}${String(++counter).padStart(32, '0')}`;
        sent.push({ resource, sid, fields });
        answer = {
          status: 201,
          body: { sid, account_sid: accountSid, to: fields.To, from: fields.From, status: 'queued' },
        };
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  const postSigned = (url: string, fields: Record<string, string>, token = authToken) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(token, url, fields),
      },
      body: new URLSearchParams(fields),
    });
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
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
