import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a postmortem link lives; a link claiming a later expiry was not made by the bot. */
export const LINK_TTL_MS = 7 * 86_400_000;

/**
 * Keys for signed links (postmortem downloads, page acknowledgements): the first signs, every one
 * verifies, so a new key can be put first while links signed with the old one keep working until
 * they expire (see SECURITY.md).
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
 * One kind of signed link: `pattern` matches its path and captures the id, `path` builds it, and
 * `purpose` goes into the signature so that a link of one kind is never valid as another.
 */
export interface SignedLinkKind {
  purpose: string;
  pattern: RegExp;
  path(id: number): string;
  /** Longest lifetime a link of this kind may claim. */
  maxTtlMs: number;
}

export type LinkCheck =
  | { ok: true; id: number }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'expiry_too_far' };

export function signLink(kind: SignedLinkKind, keys: LinkKeys, id: number, expiresAt: Date): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  return `${kind.path(id)}?expires=${expires}&sig=${signature(keys.signing, kind.purpose, id, expires)}`;
}

/** A tampered id or expiry, a past expiry, or one further away than the kind's lifetime is refused. */
export function verifyLink(
  kind: SignedLinkKind,
  keys: LinkKeys,
  pathname: string,
  params: URLSearchParams,
  now: Date,
): LinkCheck {
  const match = kind.pattern.exec(pathname);
  const expires = Number(params.get('expires'));
  const sig = params.get('sig') ?? '';
  if (!match || !Number.isSafeInteger(expires) || !/^[0-9a-f]{64}$/.test(sig))
    return { ok: false, reason: 'malformed' };
  const id = Number(match[1]);
  const given = Buffer.from(sig, 'hex');
  const signedByOne = keys.verifying.some((key) =>
    timingSafeEqual(Buffer.from(signature(key, kind.purpose, id, expires), 'hex'), given),
  );
  if (!signedByOne) return { ok: false, reason: 'bad_signature' };
  if (expires * 1000 < now.getTime()) return { ok: false, reason: 'expired' };
  // A key that leaked once must not mint links that outlive its rotation.
  if (expires * 1000 > now.getTime() + kind.maxTtlMs) return { ok: false, reason: 'expiry_too_far' };
  return { ok: true, id };
}

export const POSTMORTEM_LINK: SignedLinkKind = {
  purpose: 'postmortem-link',
  pattern: /^\/incidents\/(\d{1,12})\/postmortem\.md$/,
  path: (id) => `/incidents/${id}/postmortem.md`,
  maxTtlMs: LINK_TTL_MS,
};

/**
 * Links the bot hands out to download a postmortem: `/incidents/<id>/postmortem.md?expires=<s>&sig=<hex>`.
 */
export function signPostmortemPath(keys: LinkKeys, incidentId: number, expiresAt: Date): string {
  return signLink(POSTMORTEM_LINK, keys, incidentId, expiresAt);
}

export function verifyPostmortemLink(
  keys: LinkKeys,
  pathname: string,
  params: URLSearchParams,
  now: Date,
  maxTtlMs = LINK_TTL_MS,
): { ok: true; incidentId: number } | Extract<LinkCheck, { ok: false }> {
  const check = verifyLink({ ...POSTMORTEM_LINK, maxTtlMs }, keys, pathname, params, now);
  return check.ok ? { ok: true, incidentId: check.id } : check;
}

function signature(key: string, purpose: string, id: number, expires: number): string {
  return createHmac('sha256', key).update(`${purpose}:${id}:${expires}`).digest('hex');
}
