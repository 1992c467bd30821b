import type { Schedule } from './oncall-config.js';

/**
 * Who may take the pager, and for whom (issue #11: "nobody can take the pager for anyone").
 *
 * - Admins (oncall.yaml `admins`) may put anyone on any schedule, a person outside it included (a
 *   manager covering a shift).
 * - A participant of a schedule (in any of its layers) may put themself or another participant of
 *   that schedule on it: covering a shift, or swapping one. Nobody else is asked: the person
 *   displaced is told by the announcement and can ask an admin to cancel.
 * - Everyone else is refused, participants of other schedules included; and nobody but an admin may
 *   put a person outside the schedule on it.
 * - The window must be non-empty, end in the future and last at most 14 days, whoever asks.
 * - Overrides are cancelled by an admin, by whoever placed them or by the person covering.
 *
 * People in oncall.yaml are Slack ids or emails, so a person is matched by either (emails without
 * regard to case).
 */

/** A Slack user as oncall.yaml may name them. */
export interface Identity {
  id: string;
  /** From their Slack profile; null when unknown. */
  email: string | null;
}

export const MAX_OVERRIDE_MS = 14 * 86_400_000;

export type OverrideRefusal =
  /** The one asking is neither an admin nor a participant of the schedule. */
  | 'not_participant'
  /** A participant asked to put someone outside the schedule on it. */
  | 'person_not_participant'
  /** The window is empty, over, or longer than 14 days. */
  | 'bad_window';

export type OverrideVerdict =
  | { allowed: true; as: 'admin' | 'participant' }
  | { allowed: false; reason: OverrideRefusal };

export interface OverrideRequest {
  actor: Identity;
  person: Identity;
  schedule: Schedule;
  from: Date;
  to: Date;
  now: Date;
}

/** True when `entry` (an id or email as written in oncall.yaml) names `who`. */
export function names(entry: string, who: Identity): boolean {
  if (entry === who.id) return true;
  return who.email !== null && entry.includes('@') && entry.toLowerCase() === who.email.toLowerCase();
}

export function isAdmin(who: Identity, admins: readonly string[]): boolean {
  return admins.some((entry) => names(entry, who));
}

export function isParticipant(who: Identity, schedule: Schedule): boolean {
  return schedule.layers.some((layer) => layer.participants.some((entry) => names(entry, who)));
}

/** May `actor` put `person` on `schedule` for [from, to)? */
export function mayPlaceOverride(request: OverrideRequest, admins: readonly string[]): OverrideVerdict {
  const { actor, person, schedule, from, to, now } = request;
  const length = to.getTime() - from.getTime();
  if (length <= 0 || length > MAX_OVERRIDE_MS || to.getTime() <= now.getTime())
    return { allowed: false, reason: 'bad_window' };
  if (isAdmin(actor, admins)) return { allowed: true, as: 'admin' };
  if (!isParticipant(actor, schedule)) return { allowed: false, reason: 'not_participant' };
  if (!isParticipant(person, schedule)) return { allowed: false, reason: 'person_not_participant' };
  return { allowed: true, as: 'participant' };
}

/** May `actor` cancel an override placed by `createdBy` that puts `userId` on call? */
export function mayCancelOverride(
  actor: Identity,
  override: { createdBy: string; userId: string },
  admins: readonly string[],
): boolean {
  return isAdmin(actor, admins) || names(override.createdBy, actor) || names(override.userId, actor);
}
