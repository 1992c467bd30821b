import { stringify } from 'yaml';
import { parseOncallConfig, type Schedule } from '../../src/escalation/oncall-config.js';
import type { OnCallShift } from '../../src/escalation/schedule.js';

/**
 * A schedule as a user writes it in oncall.yaml, parsed by the real parser. Each call parses afresh,
 * so the last-shift cache never answers in place of the resolution.
 */
export function schedule(definition: Record<string, unknown>): Schedule {
  const text = stringify({
    schedules: { s: definition },
    escalation_policies: { p: { levels: [{ notify: ['schedule:s'], escalate_after: '5m' }] } },
    paging: { default_policy: 'p' },
  });
  return parseOncallConfig(text).schedules.s!;
}

export const at = (iso: string) => new Date(iso);

/** A shift as comparable data: who, and its ISO start and end. */
export const summary = (shift: OnCallShift | null) =>
  shift && { user: shift.user, start: shift.start.toISOString(), end: shift.end.toISOString() };
