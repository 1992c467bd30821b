import type { Pool } from '../db/pool.js';
import { insertOverride, type StoredOverride } from './overrides-repo.js';

/** Overrides taken in Slack (`/incident oncall override`), as a port for the Slack adapter. */
export interface OverrideStore {
  insert(override: Omit<StoredOverride, 'id'>): Promise<StoredOverride>;
}

export function createOverrideStore(pool: Pool): OverrideStore {
  return { insert: (override) => insertOverride(pool, override) };
}
