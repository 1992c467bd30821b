import { isAbsolute, resolve } from 'node:path';
import { formatDuration } from './duration.js';
import { DEFAULT_NOTIFY_BEFORE_MS, type OncallConfig, type Schedule } from './oncall-config.js';
import { nextShifts, type OnCallShift, whoIsOnCall } from './schedule.js';
import { servicesWithoutRules, servicesWithRules } from './slo-rules.js';
import { formatInZone } from './wall-time.js';

/** What `npm run config:check` reads, and why, so the output can say so. */
export type ConfigFileChoice = { path: string; why: string } | { error: string };

/**
 * The file to check: the one named on the command line, else `ONCALL_CONFIG` (which must exist: it is
 * what the bot will load), else `./oncall.yaml`, else the example shipped with the bot.
 */
export function chooseConfigFile(options: {
  arg: string | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
  examplePath: string;
  exists: (path: string) => boolean;
}): ConfigFileChoice {
  const { arg, env, cwd, examplePath, exists } = options;
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(cwd, path));
  if (arg !== undefined) return { path: absolute(arg), why: 'named on the command line' };
  const fromEnv = env.ONCALL_CONFIG;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!exists(absolute(fromEnv))) {
      return {
        error: `ONCALL_CONFIG names ${fromEnv}, which does not exist (the bot would not start either)`,
      };
    }
    return { path: absolute(fromEnv), why: 'named by ONCALL_CONFIG' };
  }
  const local = absolute('oncall.yaml');
  if (exists(local)) return { path: local, why: 'ONCALL_CONFIG is not set; ./oncall.yaml is the default' };
  return {
    path: examplePath,
    why: 'ONCALL_CONFIG is not set and ./oncall.yaml does not exist, so this is the shipped example',
  };
}

function plural(count: number, word: string, words = `${word}s`): string {
  return `${count} ${count === 1 ? word : words}`;
}

function sourceLabel(schedule: Schedule, shift: OnCallShift): string {
  if (shift.source.kind === 'override') return ' (override)';
  return schedule.layers.length > 1 ? ` (${shift.source.layerName})` : '';
}

/** What a schedule does at handoffs besides paging: its user group, team channel and notices. */
function lifeOnCallLines(schedule: Schedule): string[] {
  const lines: string[] = [];
  if (schedule.slackUsergroup) {
    const always = schedule.usergroupMembersAlways ?? [];
    const plus = always.length > 0 ? `, plus ${always.join(', ')}` : '';
    lines.push(`  user group: @${schedule.slackUsergroup} (whoever is on call${plus})`);
  }
  if (schedule.channel) lines.push(`  handoff messages: in channel ${schedule.channel}`);
  if (schedule.notifyBeforeMs === null) lines.push('  shift DMs: at the start only (notify_before: off)');
  else if (schedule.notifyBeforeMs !== undefined && schedule.notifyBeforeMs !== DEFAULT_NOTIFY_BEFORE_MS)
    lines.push(`  shift DMs: ${formatDuration(schedule.notifyBeforeMs)} before and at the start`);
  return lines;
}

/** Per schedule: who is on call at `now` and who takes over next, with times in the schedule's zone. */
export function formatOnCallReport(config: OncallConfig, now: Date): string {
  const schedules = Object.values(config.schedules);
  const lines = [
    `${plural(schedules.length, 'schedule')}, ${plural(Object.keys(config.escalationPolicies).length, 'escalation policy', 'escalation policies')}, ${plural(Object.keys(config.services).length, 'service')}.`,
  ];
  for (const schedule of schedules) {
    const zone = schedule.timezone;
    const at = (date: Date) => formatInZone(date.getTime(), zone);
    const current = whoIsOnCall(schedule, now);
    const [next] = nextShifts(schedule, now, 1);
    lines.push('', `${schedule.name} (${zone})`);
    lines.push(
      current === null
        ? '  now:  nobody on call'
        : `  now:  ${current.user}${sourceLabel(schedule, current)} since ${at(current.start)} until ${at(current.end)}`,
    );
    lines.push(
      next === undefined
        ? '  next: nobody, ever (no shifts ahead)'
        : `  next: ${next.user}${sourceLabel(schedule, next)} from ${at(next.start)} until ${at(next.end)}`,
    );
    lines.push(...lifeOnCallLines(schedule));
  }
  const services = Object.values(config.services);
  const withAlerts = servicesWithRules(services).map((service) => service.name);
  const notes = servicesWithoutRules(services);
  if (withAlerts.length > 0 || notes.length > 0) lines.push('');
  if (withAlerts.length > 0) {
    lines.push(`SLO burn-rate alerts (npm run slo:rules): ${withAlerts.join(', ')}.`);
  }
  lines.push(...notes);
  // Which services take alerts, never their keys (the output is pasted into tickets and CI logs).
  const alerting = services.filter((service) => service.alertKey !== undefined);
  if (alerting.length > 0) {
    const described = alerting.map((service) => {
      const beats = Object.keys(service.heartbeats);
      return beats.length > 0 ? `${service.name} (heartbeats: ${beats.join(', ')})` : service.name;
    });
    lines.push('', `Alert intake (alert_key set): ${described.join(', ')}.`);
  }
  return lines.join('\n');
}
