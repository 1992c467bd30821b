import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/pool.js';

/** What a calendar link shows: one person's shifts on every schedule, or one schedule's. */
export type CalendarFeedScope =
  | { kind: 'personal'; ownerId: string; ownerEmail: string | null }
  | { kind: 'schedule'; ownerId: string; schedule: string };

/** 32 random bytes, base64url: 43 characters that need no escaping in a URL. */
export function newCalendarToken(): string {
  return randomBytes(32).toString('base64url');
}

const sha256 = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** Stores the hash of `token` for `scope`; the token itself is never stored. */
export async function insertCalendarToken(db: Queryable, token: string, scope: CalendarFeedScope) {
  await db.query(
    `INSERT INTO calendar_feed_tokens (token_sha256, kind, owner_id, owner_email, schedule)
     VALUES ($1, $2, $3, $4, $5)`,
    [
      sha256(token),
      scope.kind,
      scope.ownerId,
      scope.kind === 'personal' ? scope.ownerEmail : null,
      scope.kind === 'schedule' ? scope.schedule : null,
    ],
  );
}

type TokenRow = {
  kind: 'personal' | 'schedule';
  owner_id: string;
  owner_email: string | null;
  schedule: string | null;
};

/** The scope of a link that was issued and not revoked; null for any other token. */
export async function findCalendarScope(db: Queryable, token: string): Promise<CalendarFeedScope | null> {
  const { rows } = await db.query<TokenRow>(
    `SELECT kind, owner_id, owner_email, schedule FROM calendar_feed_tokens
     WHERE token_sha256 = $1 AND revoked_at IS NULL`,
    [sha256(token)],
  );
  const row = rows[0];
  if (!row) return null;
  return row.kind === 'personal'
    ? { kind: 'personal', ownerId: row.owner_id, ownerEmail: row.owner_email }
    : { kind: 'schedule', ownerId: row.owner_id, schedule: row.schedule! };
}

/** Revokes every link `ownerId` holds; returns how many were live. */
export async function revokeCalendarTokens(db: Queryable, ownerId: string, now: Date): Promise<number> {
  const { rowCount } = await db.query(
    'UPDATE calendar_feed_tokens SET revoked_at = $2 WHERE owner_id = $1 AND revoked_at IS NULL',
    [ownerId, now],
  );
  return rowCount ?? 0;
}
