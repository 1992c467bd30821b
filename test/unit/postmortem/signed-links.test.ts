import { describe, expect, it } from 'vitest';
import {
  LINK_TTL_MS,
  linkKeys,
  signPostmortemPath,
  verifyPostmortemLink,
} from '../../../src/postmortem/signed-links.js';

const OLD = 'old-key-0123456789abcdefghijklmnopqrstuv';
const NEW = 'new-key-0123456789abcdefghijklmnopqrstuv';
const now = new Date('2026-12-02T12:00:00Z');
const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000);

const check = (keys: string[], path: string, at = now) => {
  const url = new URL(path, 'http://bot.example');
  return verifyPostmortemLink(linkKeys(keys), url.pathname, url.searchParams, at);
};

describe('postmortem link keys', () => {
  it('signs with the first key and verifies with every key, so keys rotate without breaking links', () => {
    const before = signPostmortemPath(linkKeys([OLD]), 12, inDays(7));
    const after = signPostmortemPath(linkKeys([NEW, OLD]), 12, inDays(7));
    expect(after).not.toBe(before);
    // During the rotation both verify; once the old key is dropped, only links signed with the new one do.
    expect(check([NEW, OLD], before)).toEqual({ ok: true, incidentId: 12 });
    expect(check([NEW, OLD], after)).toEqual({ ok: true, incidentId: 12 });
    expect(check([NEW], before)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(check([NEW], after)).toEqual({ ok: true, incidentId: 12 });
  });

  it('refuses a tampered incident or expiry, a past expiry, and a signature by an unknown key', () => {
    const path = signPostmortemPath(linkKeys([NEW]), 12, inDays(1));
    expect(check([NEW], path.replace('/incidents/12/', '/incidents/13/'))).toMatchObject({
      reason: 'bad_signature',
    });
    expect(
      check(
        [NEW],
        path.replace(/expires=(\d+)/, (_, s) => `expires=${Number(s) + 1}`),
      ),
    ).toMatchObject({
      reason: 'bad_signature',
    });
    expect(check([NEW], path, inDays(2))).toEqual({ ok: false, reason: 'expired' });
    expect(check([OLD], path)).toMatchObject({ reason: 'bad_signature' });
    expect(check([NEW], '/incidents/12/postmortem.md?expires=1&sig=zz')).toMatchObject({
      reason: 'malformed',
    });
  });

  it('caps the expiry: a correctly signed link claiming to live longer than the link lifetime is refused', () => {
    const keys = linkKeys([NEW]);
    expect(check([NEW], signPostmortemPath(keys, 12, new Date(now.getTime() + LINK_TTL_MS)))).toMatchObject({
      ok: true,
    });
    expect(check([NEW], signPostmortemPath(keys, 12, inDays(8)))).toEqual({
      ok: false,
      reason: 'expiry_too_far',
    });
    expect(check([NEW], signPostmortemPath(keys, 12, inDays(3650)))).toMatchObject({
      reason: 'expiry_too_far',
    });
  });

  it('needs at least one key', () => {
    expect(() => linkKeys([])).toThrow(/at least one/);
  });
});
