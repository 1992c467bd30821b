import type { EscalationPolicy, NotifyTarget, OncallConfig } from './oncall-config.js';
import { whoIsOnCall } from './schedule.js';

/** Where an escalation stands: the next level to page (`step`) in pass `loop`. */
export interface StepPosition {
  step: number;
  loop: number;
}

/**
 * What follows paging `position`: the next level of this pass, the first level of the next pass,
 * or (after the last level of the last pass) one more timer that declares the escalation exhausted.
 * `step === levels.length` is that exhaustion check.
 */
export function nextPosition(policy: EscalationPolicy, position: StepPosition): StepPosition {
  if (position.step + 1 < policy.levels.length) return { step: position.step + 1, loop: position.loop };
  if (position.loop < policy.repeat) return { step: 0, loop: position.loop + 1 };
  return { step: policy.levels.length, loop: position.loop };
}

export function isExhaustionCheck(policy: EscalationPolicy, position: StepPosition): boolean {
  return position.step >= policy.levels.length;
}

export interface ResolvedTarget {
  /** Slack user id or email, as written in oncall.yaml. */
  target: string;
  /** How they were reached: `user` or `schedule:<name>`. */
  via: string;
}

/**
 * Who a level pages right now: named users, and whoever is on call in each named schedule at `at`.
 * On-call is resolved when the level fires, never earlier. Duplicates collapse to one page.
 */
export function resolveLevelTargets(
  notify: NotifyTarget[],
  schedules: OncallConfig['schedules'],
  at: Date,
): ResolvedTarget[] {
  const seen = new Map<string, ResolvedTarget>();
  for (const target of notify) {
    if (target.kind === 'user') {
      if (!seen.has(target.user)) seen.set(target.user, { target: target.user, via: 'user' });
      continue;
    }
    const schedule = schedules[target.schedule];
    const shift = schedule ? whoIsOnCall(schedule, at) : null;
    if (shift && !seen.has(shift.user))
      seen.set(shift.user, { target: shift.user, via: `schedule:${target.schedule}` });
  }
  return [...seen.values()];
}

/** BullMQ job ids: deterministic per logical timer; never all digits, no `:`. */
export function stepJobId(escalationId: number, epoch: number, position: StepPosition): string {
  return `esc-${escalationId}-e${epoch}-s${position.step}-l${position.loop}`;
}

export function ackTimeoutJobId(escalationId: number, epoch: number): string {
  return `ackto-${escalationId}-e${epoch}`;
}
