import { MAX_MAINTENANCE_MS } from '../../alerts/maintenance-access.js';
import { parseDuration } from '../../escalation/duration.js';
import { defineCommand } from './command-spec.js';
import { clip, optional, refuse, word, words } from './grammar.js';
import { slackToPlain } from './slack-words.js';

/**
 * The alert subcommands (command-specs.ts lists them all in COMMAND_SPECS). Who may start or end a
 * maintenance window depends on the service, so the handler asks alerts/maintenance-access.ts
 * (access tag `maintainer`); listing is open to anyone.
 */

const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
export const MAX_REASON_LENGTH = 300;

export const alerts = defineCommand({
  name: 'alerts',
  summary: 'open alerts per service: title, severity, count, since when, state, who acknowledged',
  access: 'anyone',
  scope: 'global',
});

export type MaintenanceAction =
  | { action: 'list' }
  | { action: 'end'; service: string }
  | { action: 'start'; service: string; durationText: string; durationMs: number; reason: string | null };

const usage = (service: string) =>
  `\`/incident maintenance ${service} 2h [reason]\` (up to 7 days), or \`/incident maintenance ${service} off\``;

/** `2h`, `1 day`, `1h 30m`: the longest run of leading words that reads as a duration, and the rest. */
function readWindow(service: string, rest: string): MaintenanceAction | ReturnType<typeof refuse> {
  const parts = rest.split(' ');
  if (parts[0]!.toLowerCase() === 'off') {
    return parts.length === 1
      ? { action: 'end', service }
      : refuse(`\`off\` takes nothing after it: \`/incident maintenance ${service} off\`.`);
  }
  for (let n = Math.min(parts.length, 4); n > 0; n--) {
    const durationText = parts.slice(0, n).join(' ');
    const durationMs = parseDuration(durationText);
    if (durationMs === null) continue;
    if (durationMs <= 0 || durationMs > MAX_MAINTENANCE_MS)
      return refuse(`A maintenance window lasts from 1 minute to 7 days (got "${clip(durationText, 30)}").`);
    const reason = parts.slice(n).join(' ');
    const plain = reason === '' ? null : slackToPlain(reason);
    if (plain !== null && [...plain].length > MAX_REASON_LENGTH)
      return refuse(`Keep the reason to ${MAX_REASON_LENGTH} characters.`);
    return { action: 'start', service, durationText, durationMs, reason: plain };
  }
  return refuse(
    `"${clip(parts[0]!, 30)}" is not a duration: use e.g. \`30m\`, \`2h\`, \`1 day\` — ${usage(service)}.`,
  );
}

export const maintenance = defineCommand({
  name: 'maintenance',
  summary:
    'services in maintenance; with a service and a duration its alerts are recorded without paging until then (up to 7 days), `off` ends it early',
  examples: ['/incident maintenance checkout 2h Database upgrade', '/incident maintenance checkout off'],
  access: 'maintainer',
  scope: 'global',
  args: {
    service: optional(
      word('<service>', 'a service', (input) =>
        SERVICE_NAME.test(input)
          ? input.toLowerCase()
          : refuse(
              `"${clip(input, 30)}" is not a service name: letters, digits, \`-\`, \`_\` or \`.\`, as in oncall.yaml.`,
            ),
      ),
      null,
    ),
    rest: optional(
      words(
        '<duration>|off [reason]',
        // Stryker disable next-line StringLiteral: an optional argument's noun is never shown (only a missing required one is named)
        'a duration',
      ),
      null,
    ),
  },
  build: ({ service, rest }): MaintenanceAction | ReturnType<typeof refuse> => {
    if (service === null) return { action: 'list' };
    if (rest === null) return refuse(`Say how long, or \`off\`: ${usage(service)}.`);
    return readWindow(service, rest);
  },
});
