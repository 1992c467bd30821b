import type { OncallConfig } from '../escalation/oncall-config.js';
import { type Identity, isAdmin, isParticipant, names } from '../escalation/override-access.js';

/** A window lasts at most this long: a longer silence belongs in oncall.yaml, not in a command. */
export const MAX_MAINTENANCE_MS = 7 * 86_400_000;
/** And at least a minute (a second with `paging.allow_fast_escalation`, for tests and the sandbox). */
export const MIN_MAINTENANCE_MS = 60_000;
export const MIN_FAST_MAINTENANCE_MS = 1000;

/**
 * Who may start or end a service's maintenance window (`/incident maintenance checkout 2h`,
 * `… checkout off`): silencing a service's pages is a decision for the people those pages wake.
 *
 * - Admins (oncall.yaml `admins`) may, for any service.
 * - So may the people the service's escalation policy pages: a person a level names
 *   (`user:…`), and every participant (any layer) of a schedule a level names.
 * - Nobody else may. Listing the windows in force is open to anyone (`/incident maintenance`).
 *
 * People are matched by Slack id or email, as oncall.yaml names them (override-access.ts).
 */
export function mayMaintain(actor: Identity, service: string, oncall: OncallConfig): boolean {
  if (isAdmin(actor, oncall.admins)) return true;
  const entry = oncall.services[service];
  const policy = oncall.escalationPolicies[entry?.escalationPolicy ?? oncall.paging.defaultPolicy];
  if (!entry || !policy) return false;
  return policy.levels.some((level) =>
    level.notify.some((target) => {
      if (target.kind === 'user') return names(target.user, actor);
      const schedule = oncall.schedules[target.schedule];
      return schedule !== undefined && isParticipant(actor, schedule);
    }),
  );
}
