import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** One escalation level: whom it notifies (`schedule:primary`, `user:{carol}`, `user:carol@acme.test`) and when it moves on. */
export type OncallLevel = [notify: string, escalateAfter: string];

export interface OncallPolicyFixture {
  levels: OncallLevel[];
  /** `repeat`; absent: the file's default. */
  repeat?: number;
  /** `ack_timeout`; absent: none. */
  ackTimeout?: string;
}

/**
 * The on-call file the integration tests share: everything in UTC, one schedule `primary` (a weekly
 * rotation handing off at 09:00 from 2026-01-05) and a policy `default` that paging uses. A test names
 * only what differs: the default policy's levels, and any admins, policies, services or paging rules.
 */
export interface OncallFixture extends OncallPolicyFixture {
  /** Who takes the primary rotation. Default `['{bob}']`. */
  participants?: string[];
  /** Fields of `primary` as oncall.yaml spells them, over the defaults (`timezone`, `rotation`, `channel`…). */
  primary?: Record<string, unknown>;
  admins?: string[];
  /** Schedules besides `primary` (same rotation), with their participants and `announce_channel`. */
  schedules?: Record<string, { participants: string[]; announceChannel?: string }>;
  /** Policies besides `default`. */
  policies?: Record<string, OncallPolicyFixture>;
  services?: Record<
    string,
    {
      policy: string;
      slo?: { target: number; window: string };
      sli?: { errors: string; total: string };
      runbook?: string;
      /** `alert_key` (32+ characters). */
      alertKey?: string;
      alerts?: { declare?: string; channel?: string };
      heartbeats?: Record<string, { interval: string; grace: string }>;
    }
  >;
  /** `paging.group_window`; absent: the file's default (2m). */
  groupWindow?: string;
  /** `paging.auto_page`; absent: the file's default. */
  autoPage?: string[];
  /** `paging.allow_fast_escalation: true`: timings under a minute, as tests need. */
  fastEscalation?: boolean;
}

/**
 * The fixture as `oncall.yaml` text. `{alice}`, `{bob}` and `{carol}` stand for the seeded people's
 * Slack ids; the bot harness (or `writeOncallFile`) puts the ids in.
 */
export function oncallFixture(fixture: OncallFixture): string {
  const policy = ({ levels, repeat, ackTimeout }: OncallPolicyFixture) => ({
    levels: levels.map(([notify, escalateAfter]) => ({ notify: [notify], escalate_after: escalateAfter })),
    ...(repeat !== undefined ? { repeat } : {}),
    ...(ackTimeout !== undefined ? { ack_timeout: ackTimeout } : {}),
  });
  const schedule = (participants: string[], announceChannel?: string) => ({
    timezone: 'UTC',
    rotation: { length: '1 week', handoff: '09:00', start: '2026-01-05' },
    participants,
    ...(announceChannel ? { announce_channel: announceChannel } : {}),
  });
  const file = {
    timezone: 'UTC',
    ...(fixture.admins ? { admins: fixture.admins } : {}),
    schedules: {
      primary: { ...schedule(fixture.participants ?? ['{bob}']), ...fixture.primary },
      ...Object.fromEntries(
        Object.entries(fixture.schedules ?? {}).map(([name, s]) => [
          name,
          schedule(s.participants, s.announceChannel),
        ]),
      ),
    },
    escalation_policies: {
      default: policy(fixture),
      ...Object.fromEntries(Object.entries(fixture.policies ?? {}).map(([name, p]) => [name, policy(p)])),
    },
    ...(fixture.services
      ? {
          services: Object.fromEntries(
            Object.entries(fixture.services).map(
              ([name, { policy: policyName, slo, sli, runbook, alertKey, alerts, heartbeats }]) => [
                name,
                {
                  escalation_policy: policyName,
                  ...(slo ? { slo } : {}),
                  ...(sli ? { sli } : {}),
                  ...(runbook ? { runbook } : {}),
                  ...(alertKey ? { alert_key: alertKey } : {}),
                  ...(alerts ? { alerts } : {}),
                  ...(heartbeats ? { heartbeats } : {}),
                },
              ],
            ),
          ),
        }
      : {}),
    paging: {
      default_policy: 'default',
      ...(fixture.autoPage ? { auto_page: fixture.autoPage } : {}),
      ...(fixture.fastEscalation ? { allow_fast_escalation: true } : {}),
      ...(fixture.groupWindow ? { group_window: fixture.groupWindow } : {}),
    },
  };
  return stringify(file);
}

/**
 * Writes on-call text to a fresh temporary `oncall.yaml` and returns its path, with `{alice}`, `{bob}`
 * and `{carol}` replaced by the given people's Slack ids.
 */
export async function writeOncallFile(
  yaml: string,
  people: Partial<Record<'alice' | 'bob' | 'carol', string>> = {},
): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'oncall-')), 'oncall.yaml');
  const text = yaml.replace(
    /\{(alice|bob|carol)\}/g,
    (whole, who: 'alice' | 'bob' | 'carol') => people[who] ?? whole,
  );
  await writeFile(path, text);
  return path;
}
