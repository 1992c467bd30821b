import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Links the bot hands out to download a postmortem: `/incidents/<id>/postmortem.md?expires=<s>&sig=<hex>`,
 * signed with a key derived from the signing secret. A tampered id or expiry, or a past expiry, is refused.
 */
export function signPostmortemPath(secret: string, incidentId: number, expiresAt: Date): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  return `/incidents/${incidentId}/postmortem.md?expires=${expires}&sig=${signature(secret, incidentId, expires)}`;
}

export type LinkCheck =
  | { ok: true; incidentId: number }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export function verifyPostmortemLink(
  secret: string,
  pathname: string,
  params: URLSearchParams,
  now: Date,
): LinkCheck {
  const match = /^\/incidents\/(\d{1,12})\/postmortem\.md$/.exec(pathname);
  const expires = Number(params.get('expires'));
  const sig = params.get('sig') ?? '';
  if (!match || !Number.isInteger(expires) || !/^[0-9a-f]{64}$/.test(sig))
    return { ok: false, reason: 'malformed' };
  const incidentId = Number(match[1]);
  const expected = Buffer.from(signature(secret, incidentId, expires), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(sig, 'hex'))) return { ok: false, reason: 'bad_signature' };
  if (expires * 1000 < now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, incidentId };
}

function signature(secret: string, incidentId: number, expires: number): string {
  const key = createHmac('sha256', secret).update('postmortem-links').digest();
  return createHmac('sha256', key).update(`${incidentId}:${expires}`).digest('hex');
}
