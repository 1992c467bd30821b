import { formatDuration, parseDuration } from './duration.js';
import type { Problem } from './oncall-config-problems.js';
import { checkPeople } from './people.js';
import { isValidTimeZone, parseInstant } from './wall-time.js';

/** The shortest escalation timing allowed unless `paging.allow_fast_escalation: true`. */
export const MIN_ESCALATION_MS = 60_000;

// Checks across fields and sections. They read the raw document defensively, so they run (and report)
// even when the schema found problems elsewhere: the user gets every problem in one pass.

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function has(mapping: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(mapping, key) && mapping[key] !== undefined;
}

function unknownName(kind: string, plural: string, name: string, known: Record<string, unknown>): string {
  const names = Object.keys(known);
  const hint = names.length > 0 ? ` (${plural}: ${names.join(', ')})` : ` (no ${plural} are defined)`;
  return `unknown ${kind} "${name}"${hint}`;
}

export function crossCheck(raw: unknown): Problem[] {
  if (!isMapping(raw)) return [];
  const problems: Problem[] = [];
  const schedules = raw.schedules === undefined ? {} : raw.schedules;
  const policies = raw.escalation_policies;
  const paging = isMapping(raw.paging) ? raw.paging : {};
  const fastAllowed = paging.allow_fast_escalation === true;
  const topZone =
    typeof raw.timezone === 'string' && isValidTimeZone(raw.timezone) ? raw.timezone : undefined;

  if (isMapping(schedules)) {
    for (const [name, schedule] of Object.entries(schedules)) {
      if (!isMapping(schedule)) continue;
      const path = ['schedules', name];
      const single = ['rotation', 'participants', 'restrictions'].filter((key) => has(schedule, key));
      if (has(schedule, 'layers') && single.length > 0) {
        problems.push({
          path,
          message: `use either rotation + participants or layers, not both (found ${single.join(', ')} and layers)`,
        });
      } else if (!has(schedule, 'layers')) {
        if (single.length === 0) {
          problems.push({ path, message: 'needs a rotation with participants, or layers' });
        } else {
          if (!has(schedule, 'rotation'))
            problems.push({ path: [...path, 'rotation'], message: 'is required' });
          if (!has(schedule, 'participants'))
            problems.push({ path: [...path, 'participants'], message: 'is required' });
        }
      }
      if (!has(schedule, 'timezone') && !has(raw, 'timezone')) {
        problems.push({
          path: [...path, 'timezone'],
          message: 'is required (here or as the top-level timezone)',
        });
      }
      const zone =
        typeof schedule.timezone === 'string' && isValidTimeZone(schedule.timezone)
          ? schedule.timezone
          : topZone;
      if (Array.isArray(schedule.overrides)) {
        schedule.overrides.forEach((override, index) => {
          if (!isMapping(override) || typeof override.from !== 'string' || typeof override.to !== 'string')
            return;
          const from = parseInstant(override.from, zone ?? 'UTC');
          const to = parseInstant(override.to, zone ?? 'UTC');
          if (from !== null && to !== null && to <= from) {
            problems.push({
              path: [...path, 'overrides', index, 'to'],
              message: `must be after from (${override.from})`,
            });
          }
        });
      }
    }
  }

  const checkTiming = (path: PropertyKey[], value: unknown) => {
    if (typeof value !== 'string' || fastAllowed) return;
    const ms = parseDuration(value);
    if (ms !== null && ms < MIN_ESCALATION_MS) {
      problems.push({
        path,
        message: `${formatDuration(ms)} is under one minute; set paging.allow_fast_escalation: true to allow it (tests and the sandbox)`,
      });
    }
  };

  if (isMapping(policies)) {
    for (const [name, policy] of Object.entries(policies)) {
      if (!isMapping(policy)) continue;
      const path = ['escalation_policies', name];
      if (Array.isArray(policy.levels)) {
        policy.levels.forEach((level, levelIndex) => {
          if (!isMapping(level)) return;
          const levelPath = [...path, 'levels', levelIndex];
          if (Array.isArray(level.notify) && isMapping(schedules)) {
            level.notify.forEach((target, targetIndex) => {
              if (typeof target !== 'string' || !target.startsWith('schedule:')) return;
              const scheduleName = target.slice('schedule:'.length);
              if (!Object.hasOwn(schedules, scheduleName)) {
                problems.push({
                  path: [...levelPath, 'notify', targetIndex],
                  message: unknownName('schedule', 'schedules', scheduleName, schedules),
                });
              }
            });
          }
          checkTiming([...levelPath, 'escalate_after'], level.escalate_after);
        });
      }
      checkTiming([...path, 'ack_timeout'], policy.ack_timeout);
    }

    const checkPolicy = (path: PropertyKey[], value: unknown) => {
      if (typeof value === 'string' && !Object.hasOwn(policies, value)) {
        problems.push({
          path,
          message: unknownName('escalation policy', 'escalation_policies', value, policies),
        });
      }
    };
    if (isMapping(raw.services)) {
      for (const [name, service] of Object.entries(raw.services)) {
        if (isMapping(service))
          checkPolicy(['services', name, 'escalation_policy'], service.escalation_policy);
      }
    }
    checkPolicy(['paging', 'default_policy'], paging.default_policy);
  }
  problems.push(...checkPeople(raw, fastAllowed));
  return problems;
}
