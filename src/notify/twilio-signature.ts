import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Twilio's request signature: HMAC-SHA1, keyed by the auth token, of the full URL the request was
 * sent to followed by every POST field, sorted by name, as name then value; base64.
 */
export function twilioSignature(authToken: string, url: string, fields: Record<string, string>): string {
  const data = Object.keys(fields)
    .sort()
    .reduce((text, name) => text + name + fields[name], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Constant-time comparison of the `X-Twilio-Signature` header with the expected signature. */
export function isValidTwilioSignature(
  authToken: string,
  url: string,
  fields: Record<string, string>,
  header: string | undefined,
): boolean {
  if (header === undefined || header === '') return false;
  const expected = Buffer.from(twilioSignature(authToken, url, fields));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
