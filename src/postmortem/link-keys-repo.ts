import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/pool.js';

const LINK_KEY_NAME = 'postmortem-link-key';

/**
 * The link key the bot generated for itself (LINK_SIGNING_KEYS unset): made once, kept in Postgres.
 * The first instance to insert wins; every other one, now or after a restart, reads the same key.
 */
export async function loadOrCreateLinkKey(db: Queryable): Promise<string> {
  const candidate = randomBytes(32).toString('base64url');
  await db.query('INSERT INTO bot_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    LINK_KEY_NAME,
    candidate,
  ]);
  const { rows } = await db.query<{ value: string }>('SELECT value FROM bot_secrets WHERE name = $1', [
    LINK_KEY_NAME,
  ]);
  return rows[0]!.value;
}
