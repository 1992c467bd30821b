import { parseDuration, parseLocalTime, parseRotationLength } from './duration.js';
import type {
  EscalationPolicy,
  IsoWeekday,
  NotifyTarget,
  OncallConfig,
  Schedule,
  Service,
} from './oncall-config.js';
import { type OncallFile, WEEKDAYS } from './oncall-file-schema.js';
import { buildPeople } from './people.js';
import { parseInstant, parseLocalDate } from './wall-time.js';

/** `notify_before` (checked by the schema): `off` or `0` turn the advance DM off. */
function notifyBefore(text: string): number | null {
  return text === 'off' || text === '0' ? null : parseDuration(text)!;
}

/** The validated file → typed, camelCase config. Everything here was checked before. */
export function buildConfig(file: OncallFile, source: string): OncallConfig {
  const schedules: Record<string, Schedule> = {};
  for (const [name, schedule] of Object.entries(file.schedules)) {
    const timezone = (schedule.timezone ?? file.timezone)!;
    const layers = schedule.layers ?? [
      {
        rotation: schedule.rotation!,
        participants: schedule.participants!,
        restrictions: schedule.restrictions,
      },
    ];
    schedules[name] = {
      name,
      timezone,
      layers: layers.map((layer, index) => ({
        name: ('name' in layer ? layer.name : undefined) ?? `layer ${index + 1}`,
        rotation: {
          length: parseRotationLength(layer.rotation.length)!,
          handoff: parseLocalTime(layer.rotation.handoff)!,
          start: parseLocalDate(layer.rotation.start)!,
        },
        participants: layer.participants,
        restrictions: (layer.restrictions ?? []).map((restriction) => ({
          days: (restriction.days ?? WEEKDAYS).map((day) => (WEEKDAYS.indexOf(day) + 1) as IsoWeekday),
          from: parseLocalTime(restriction.from)!,
          to: parseLocalTime(restriction.to)!,
        })),
      })),
      overrides: schedule.overrides.map((override) => ({
        user: override.user,
        from: new Date(parseInstant(override.from, timezone)!),
        to: new Date(parseInstant(override.to, timezone)!),
      })),
      announceChannel: schedule.announce_channel ?? schedule.channel,
      channel: schedule.channel,
      slackUsergroup: schedule.slack_usergroup,
      usergroupMembersAlways: schedule.usergroup_members_always ?? [],
      notifyBeforeMs: notifyBefore(schedule.notify_before),
    };
  }

  const escalationPolicies: Record<string, EscalationPolicy> = {};
  for (const [name, policy] of Object.entries(file.escalation_policies)) {
    escalationPolicies[name] = {
      name,
      levels: policy.levels.map((level) => ({
        notify: level.notify.map((target): NotifyTarget => {
          const [kind, ...rest] = target.split(':');
          const value = rest.join(':');
          return kind === 'schedule' ? { kind: 'schedule', schedule: value } : { kind: 'user', user: value };
        }),
        escalateAfterMs: parseDuration(level.escalate_after)!,
      })),
      repeat: policy.repeat,
      ackTimeoutMs: policy.ack_timeout === undefined ? undefined : parseDuration(policy.ack_timeout)!,
    };
  }

  const services: Record<string, Service> = {};
  for (const [name, service] of Object.entries(file.services)) {
    services[name] = {
      name,
      escalationPolicy: service.escalation_policy,
      slo: service.slo && { target: service.slo.target, windowMs: parseDuration(service.slo.window)! },
      sli: service.sli && { errors: service.sli.errors, total: service.sli.total },
      runbook: service.runbook,
      alertKey: service.alert_key,
      alerts: { declare: service.alerts?.declare, channel: service.alerts?.channel },
      heartbeats: Object.fromEntries(
        Object.entries(service.heartbeats ?? {}).map(([beat, spec]) => [
          beat,
          { name: beat, intervalMs: parseDuration(spec.interval)!, graceMs: parseDuration(spec.grace)! },
        ]),
      ),
    };
  }

  return {
    source,
    timezone: file.timezone,
    admins: file.admins,
    schedules,
    escalationPolicies,
    services,
    paging: {
      defaultPolicy: file.paging.default_policy,
      autoPage: file.paging.auto_page,
      allowFastEscalation: file.paging.allow_fast_escalation,
      groupWindowMs: parseDuration(file.paging.group_window)!,
    },
    people: buildPeople(file),
  };
}
