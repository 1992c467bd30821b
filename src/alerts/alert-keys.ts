import { createHash } from 'node:crypto';
import type { Service } from '../escalation/oncall-config.js';

/** Finds the service an alert key belongs to. */
export interface AlertKeyIndex {
  serviceFor(key: string): Service | null;
}

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/**
 * Keys are looked up by their SHA-256, never compared as strings: how long a lookup takes depends on
 * the digest of what was sent, which tells a guesser nothing about how close the guess was.
 */
export function createAlertKeyIndex(services: Record<string, Service>): AlertKeyIndex {
  const byDigest = new Map<string, Service>();
  for (const service of Object.values(services)) {
    if (service.alertKey !== undefined) byDigest.set(digest(service.alertKey), service);
  }
  return {
    serviceFor(key) {
      if (byDigest.size === 0) return null;
      return byDigest.get(digest(key)) ?? null;
    },
  };
}
