import { signSlackRequest } from './request-signing.js';
import type { DriverResponse, PostOptions } from './slack-driver-types.js';

/** Exactly what Slack compares against; a `; charset=…` suffix makes Bolt reject the body. */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export const JSON_CONTENT_TYPE = 'application/json';

/** Posts a body to the app as Slack does: signed with the secret, stamped with the clock's time. */
export function createSignedPoster(options: {
  appUrl: string;
  signingSecret: string;
  /** Epoch milliseconds. */
  now: () => number;
}) {
  const { appUrl, signingSecret, now } = options;
  return async (rawBody: string, postOptions: PostOptions = {}): Promise<DriverResponse> => {
    const timestamp = postOptions.timestamp ?? Math.floor(now() / 1000);
    const response = await fetch(appUrl, {
      method: 'POST',
      headers: {
        'content-type': postOptions.contentType ?? FORM_CONTENT_TYPE,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': postOptions.signature ?? signSlackRequest(signingSecret, timestamp, rawBody),
        ...postOptions.headers,
      },
      body: rawBody,
    });
    const text = await response.text();
    return { status: response.status, body: parseBody(text), headers: Object.fromEntries(response.headers) };
  };
}

function parseBody(text: string): unknown {
  if (text === '') return '';
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
