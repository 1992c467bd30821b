import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../clock.js';
import { PAGE_ACK_LINK, type PageAck, type PageAckOutcome } from '../escalation/page-ack.js';
import { findPersonByPhone, type Person } from '../escalation/people.js';
import { CALL_STATUS_PATH, escapeXml } from '../notify/twilio-sender.js';
import { isValidTwilioSignature } from '../notify/twilio-signature.js';
import { type LinkKeys, verifyLink } from '../postmortem/signed-links.js';
import { readLimitedBody } from './request-body.js';
import { LINK_RESPONSE_HEADERS } from './routes.js';
import { type RouteHandler, sendText } from './server.js';

export interface PageAckRoutesDeps {
  clock: Clock;
  linkKeys: LinkKeys;
  pageAck: PageAck;
  people: Record<string, Person>;
  /** Null: Twilio is not configured and its webhooks answer 404. */
  twilio: { authToken: string; from: string } | null;
  /** PUBLIC_URL (or the address listened on): Twilio signs the URL it posted to. */
  baseUrl: () => string;
  /** Records a call's final status on its voice step (escalation/call-status.ts). */
  callStatus(report: { callSid: string; status: string }): Promise<unknown>;
}

const SAID: Record<PageAckOutcome, string> = {
  acknowledged: 'Acknowledged. Thank you.',
  already_acknowledged: 'This page was already acknowledged.',
  not_paging: 'This page is no longer waiting for an answer.',
  no_page: 'No open page for you.',
};

function html(res: ServerResponse, status: number, title: string, content: string) {
  for (const [name, value] of Object.entries(LINK_RESPONSE_HEADERS)) res.setHeader(name, value);
  // The confirmation form posts back to itself; a sandboxed page may still submit forms.
  res.setHeader('content-security-policy', "sandbox allow-forms; default-src 'none'");
  sendText(
    res,
    status,
    `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeXml(title)}</title></head><body>${content}</body></html>\n`,
    'text/html; charset=utf-8',
  );
}

function twiml(res: ServerResponse, verb: 'Message' | 'Say', text: string) {
  sendText(
    res,
    200,
    `<?xml version="1.0" encoding="UTF-8"?><Response><${verb}>${escapeXml(text)}</${verb}></Response>`,
    'text/xml',
  );
}

/**
 * `/pages/<id>/ack?expires=…&sig=…`: GET shows a confirmation form and changes nothing (link
 * previews and mail scanners fetch links); POST acknowledges as the person paged.
 */
export function pageAckLinkRoute(deps: PageAckRoutesDeps): RouteHandler {
  const why = { malformed: 404, bad_signature: 403, expiry_too_far: 403, expired: 403 } as const;
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const check = verifyLink(PAGE_ACK_LINK, deps.linkKeys, url.pathname, url.searchParams, deps.clock.now());
    if (!check.ok) {
      const text =
        check.reason === 'expired'
          ? 'This link has expired; acknowledge in Slack.'
          : 'This link is not valid.';
      return html(res, why[check.reason], 'Not valid', `<p>${text}</p>`);
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const action = escapeXml(`${url.pathname}${url.search}`);
      return html(
        res,
        200,
        'Acknowledge page',
        `<h1>Acknowledge page ${check.id}?</h1><form method="post" action="${action}"><button type="submit">Acknowledge</button></form>`,
      );
    }
    if (req.method !== 'POST') return sendText(res, 405, 'use GET or POST\n');
    const outcome = await deps.pageAck.acknowledgePage(check.id, 'link');
    html(res, outcome === 'no_page' ? 404 : 200, 'Page', `<p>${escapeXml(SAID[outcome])}</p>`);
  };
}

/** A signed Twilio webhook's form fields, or null after answering 403/404/413 itself. */
async function twilioForm(
  deps: PageAckRoutesDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Record<string, string> | null> {
  if (!deps.twilio) {
    sendText(res, 404, 'not found\n');
    return null;
  }
  if (req.method !== 'POST') {
    sendText(res, 405, 'Twilio posts to this URL; use POST.\n');
    return null;
  }
  const body = await readLimitedBody(req, 64 * 1024);
  if (!body.ok) {
    res.setHeader('connection', 'close');
    sendText(res, 413, 'request too large\n');
    return null;
  }
  const fields = Object.fromEntries(new URLSearchParams(body.text));
  const signed = `${deps.baseUrl().replace(/\/$/, '')}${req.url ?? ''}`;
  const header = req.headers['x-twilio-signature'];
  if (
    !isValidTwilioSignature(deps.twilio.authToken, signed, fields, Array.isArray(header) ? header[0] : header)
  ) {
    sendText(res, 403, 'invalid Twilio signature\n');
    return null;
  }
  return fields;
}

/** The person a message or call is about: the other end from the bot's own number. */
function personOf(deps: PageAckRoutesDeps, fields: Record<string, string>): Person | null {
  const phone = fields.From === deps.twilio?.from ? fields.To : fields.From;
  return phone ? findPersonByPhone(deps.people, phone) : null;
}

/**
 * `POST /integrations/twilio/sms` (a reply `ACK` or `1`), `/voice` (`Digits=1` on the page call) and
 * `/voice/status` (a call's final status: busy, no-answer, failed, canceled, completed).
 */
export function twilioRoutes(deps: PageAckRoutesDeps): Record<string, RouteHandler> {
  return {
    '/integrations/twilio/sms': async (req, res) => {
      const fields = await twilioForm(deps, req, res);
      if (!fields) return;
      const word = (fields.Body ?? '').trim().toUpperCase();
      if (word !== 'ACK' && word !== '1')
        return twiml(res, 'Message', 'Reply ACK to acknowledge your latest page.');
      const person = personOf(deps, fields);
      twiml(
        res,
        'Message',
        person ? SAID[await deps.pageAck.acknowledgeLatestFor(person.key, 'sms')] : SAID.no_page,
      );
    },
    '/integrations/twilio/voice': async (req, res) => {
      const fields = await twilioForm(deps, req, res);
      if (!fields) return;
      if (fields.Digits !== '1') return twiml(res, 'Say', 'Not acknowledged. Goodbye.');
      const person = personOf(deps, fields);
      twiml(
        res,
        'Say',
        person ? SAID[await deps.pageAck.acknowledgeLatestFor(person.key, 'voice')] : SAID.no_page,
      );
    },
    [CALL_STATUS_PATH]: async (req, res) => {
      const fields = await twilioForm(deps, req, res);
      if (!fields) return;
      if (fields.CallSid && fields.CallStatus)
        await deps.callStatus({ callSid: fields.CallSid, status: fields.CallStatus });
      // The same answer whether or not the call was one of ours.
      sendText(res, 200, '<?xml version="1.0" encoding="UTF-8"?><Response></Response>', 'text/xml');
    },
  };
}

/** Everything this module serves, as the server's inbound routes. */
export function pageAckRoutes(deps: PageAckRoutesDeps): Record<string, RouteHandler> {
  return { '/pages/': pageAckLinkRoute(deps), ...twilioRoutes(deps) };
}
