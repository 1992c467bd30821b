import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a postmortem link lives; a link claiming a later expiry was not made by the bot. */
export const LINK_TTL_MS = 7 * 86_400_000;

/**
 * Keys for postmortem links: the first signs, every one verifies, so a new key can be put first
 * while links signed with the old one keep working until they expire (see SECURITY.md).
 */
export interface LinkKeys {
  readonly signing: string;
  readonly verifying: readonly string[];
}

export function linkKeys(keys: readonly string[]): LinkKeys {
  const [signing] = keys;
  if (!signing) throw new Error('at least one link signing key is needed');
  return { signing, verifying: keys };
}

/**
 * Links the bot hands out to download a postmortem: `/incidents/<id>/postmortem.md?expires=<s>&sig=<hex>`.
 * A tampered id or expiry, a past expiry, or one further away than the link lifetime is refused.
 */
export function signPostmortemPath(keys: LinkKeys, incidentId: number, expiresAt: Date): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  return `/incidents/${incidentId}/postmortem.md?expires=${expires}&sig=${signature(keys.signing, incidentId, expires)}`;
}

export type LinkCheck =
  | { ok: true; incidentId: number }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'expiry_too_far' };

export function verifyPostmortemLink(
  keys: LinkKeys,
  pathname: string,
  params: URLSearchParams,
  now: Date,
  maxTtlMs = LINK_TTL_MS,
): LinkCheck {
  const match = /^\/incidents\/(\d{1,12})\/postmortem\.md$/.exec(pathname);
  const expires = Number(params.get('expires'));
  const sig = params.get('sig') ?? '';
  if (!match || !Number.isSafeInteger(expires) || !/^[0-9a-f]{64}$/.test(sig))
    return { ok: false, reason: 'malformed' };
  const incidentId = Number(match[1]);
  const given = Buffer.from(sig, 'hex');
  const signedByOne = keys.verifying.some((key) =>
    timingSafeEqual(Buffer.from(signature(key, incidentId, expires), 'hex'), given),
  );
  if (!signedByOne) return { ok: false, reason: 'bad_signature' };
  if (expires * 1000 < now.getTime()) return { ok: false, reason: 'expired' };
  // A key that leaked once must not mint links that outlive its rotation.
  if (expires * 1000 > now.getTime() + maxTtlMs) return { ok: false, reason: 'expiry_too_far' };
  return { ok: true, incidentId };
}

function signature(key: string, incidentId: number, expires: number): string {
  return createHmac('sha256', key).update(`postmortem-link:${incidentId}:${expires}`).digest('hex');
}
