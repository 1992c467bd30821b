import type { OutboxEntry } from '../jobs/outbox-repo.js';
import type { TimelineEventInput } from '../timeline/timeline-events.js';
import type { CurrentOverrides, FireDecision, FireSnapshot } from './escalation-fire-repo.js';
import { type EscalationSubject, subjectOf } from './escalation-repo.js';
import { isExhaustionCheck, nextPosition, resolveLevelTargets } from './escalation-steps.js';
import type { Schedule } from './oncall-config.js';

/**
 * What a step timer does at the escalation's position: page the level's people, or (nobody on call)
 * note the skip and move straight on to the next level, as PagerDuty does; bounded by the policy's
 * size. After the last level of the last pass, the escalation is exhausted, and `onExhausted` names
 * the effects written with that decision. Pure: the schedules (with overrides applied) are given.
 */
export function decideStepAt(
  esc: Pick<
    FireSnapshot['escalation'],
    'id' | 'incidentId' | 'alertGroupId' | 'policy' | 'epoch' | 'step' | 'loop' | 'startedAt'
  >,
  at: { schedules: Record<string, Schedule>; overrides: CurrentOverrides; now: Date },
  onExhausted: (
    subject: EscalationSubject,
    epoch: number,
    loop: number,
    escalationId: number,
  ) => OutboxEntry[],
): FireDecision {
  const { policy } = esc;
  const { schedules, overrides, now } = at;
  const events: TimelineEventInput[] = [];
  const subject = subjectOf(esc);
  const base = {
    escalationId: esc.id,
    subject,
    from: {
      epoch: esc.epoch,
      step: esc.step,
      loop: esc.loop,
      startedAt: esc.startedAt,
      overridesJson: overrides.json,
    },
    occurredAt: now,
    events,
  };
  let position = { step: esc.step, loop: esc.loop };
  for (let guard = 0; guard <= policy.levels.length * (policy.repeat + 1); guard++) {
    if (isExhaustionCheck(policy, position)) {
      events.push({ kind: 'escalation.exhausted', details: { passes: position.loop + 1 } });
      return {
        ...base,
        effects: onExhausted(subject, esc.epoch, position.loop, esc.id),
        to: { state: 'exhausted', ...position, nextStepAt: null },
        pagesAt: position,
        pages: [],
      };
    }
    const level = policy.levels[position.step]!;
    const targets = resolveLevelTargets(level.notify, schedules, now);
    const next = nextPosition(policy, position);
    if (targets.length === 0) {
      events.push({
        kind: 'escalation.level_skipped',
        details: { level: position.step + 1, pass: position.loop + 1, reason: 'nobody on call' },
      });
      position = next;
      continue;
    }
    events.push({
      kind: 'escalation.paged',
      details: { level: position.step + 1, pass: position.loop + 1, targets },
    });
    return {
      ...base,
      effects: [],
      to: { state: 'triggered', ...next, nextStepAt: new Date(now.getTime() + level.escalateAfterMs) },
      pagesAt: position,
      pages: targets,
    };
  }
  throw new Error(`escalation ${esc.id} did not settle`);
}
