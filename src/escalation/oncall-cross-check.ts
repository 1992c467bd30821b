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

/** A user group follows one schedule; `usergroup_members_always` needs the group it is kept in. */
function checkUsergroup(
  path: PropertyKey[],
  schedule: Record<string, unknown>,
  owners: Map<string, string>,
): Problem[] {
  const handle = schedule.slack_usergroup;
  if (typeof handle !== 'string') {
    return has(schedule, 'usergroup_members_always')
      ? [
          {
            path: [...path, 'usergroup_members_always'],
            message: 'needs slack_usergroup on the same schedule',
          },
        ]
      : [];
  }
  const owner = owners.get(handle);
  if (owner !== undefined) {
    return [
      {
        path: [...path, 'slack_usergroup'],
        message: `"${handle}" already follows schedule ${owner}; a user group can follow one schedule`,
      },
    ];
  }
  owners.set(handle, String(path[1]));
  return [];
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
    const groupOwners = new Map<string, string>();
    for (const [name, schedule] of Object.entries(schedules)) {
      if (!isMapping(schedule)) continue;
      const path = ['schedules', name];
      problems.push(...checkUsergroup(path, schedule, groupOwners));
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
  if (isMapping(raw.services)) problems.push(...checkAlertSettings(raw.services, checkTiming));
  problems.push(...checkPeople(raw, fastAllowed));
  return problems;
}

/**
 * Alert keys are unique (a key names its service) and named only by path, never by value; heartbeats
 * need a key to check in with, and their intervals obey the one-minute floor.
 */
function checkAlertSettings(
  services: Record<string, unknown>,
  checkTiming: (path: PropertyKey[], value: unknown) => void,
): Problem[] {
  const problems: Problem[] = [];
  const owners = new Map<string, string>();
  for (const [name, service] of Object.entries(services)) {
    if (!isMapping(service)) continue;
    const key = service.alert_key;
    if (typeof key === 'string') {
      const owner = owners.get(key);
      if (owner === undefined) owners.set(key, name);
      else {
        problems.push({
          path: ['services', name, 'alert_key'],
          message: `is the same key as services.${owner}.alert_key; each service needs its own`,
        });
      }
    }
    if (!isMapping(service.heartbeats)) continue;
    if (Object.keys(service.heartbeats).length > 0 && !has(service, 'alert_key')) {
      problems.push({
        path: ['services', name, 'heartbeats'],
        message:
          'needs an alert_key on the service: heartbeats check in at /alerts/heartbeat/<alert_key>/<name>',
      });
    }
    for (const [beat, spec] of Object.entries(service.heartbeats)) {
      if (isMapping(spec)) checkTiming(['services', name, 'heartbeats', beat, 'interval'], spec.interval);
    }
  }
  return problems;
}
