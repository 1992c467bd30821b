import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseOncallConfig } from '../../../src/escalation/oncall-config.js';
import { problemsOf } from '../../helpers/oncall-problems.js';

/** A Berlin file whose schedule `primary` has `extra` fields (and `others` schedules besides). */
const file = (extra: Record<string, unknown>, others: Record<string, unknown> = {}) =>
  stringify({
    timezone: 'Europe/Berlin',
    schedules: {
      primary: {
        rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-02' },
        participants: ['U012ABCDEF', 'alice@acme.test'],
        ...extra,
      },
      ...others,
    },
    escalation_policies: { default: { levels: [{ notify: ['schedule:primary'], escalate_after: '5m' }] } },
    paging: { default_policy: 'default' },
  });

describe('schedule settings for life on call (user group, notices, team channel)', () => {
  it('reads the user group, its permanent members, notify_before and the team channel', () => {
    const config = parseOncallConfig(
      file({
        slack_usergroup: 'checkout-oncall',
        usergroup_members_always: ['heidi@acme.test'],
        notify_before: '30m',
        channel: 'C0TEAM1',
      }),
    );
    expect(config.schedules.primary).toMatchObject({
      slackUsergroup: 'checkout-oncall',
      usergroupMembersAlways: ['heidi@acme.test'],
      notifyBeforeMs: 30 * 60_000,
      channel: 'C0TEAM1',
      // Overrides are announced in the team channel when no announce_channel says otherwise.
      announceChannel: 'C0TEAM1',
    });
  });

  it('defaults: an hour of notice, no user group, no channel (overrides then go by DM)', () => {
    const primary = parseOncallConfig(file({})).schedules.primary!;
    expect(primary.notifyBeforeMs).toBe(3_600_000);
    expect(primary.slackUsergroup).toBeUndefined();
    expect(primary.usergroupMembersAlways).toEqual([]);
    expect(primary.channel).toBeUndefined();
    expect(primary.announceChannel).toBeUndefined();
  });

  it.each(['off', '0'])('notify_before: %s turns the advance DM off', (value) => {
    expect(parseOncallConfig(file({ notify_before: value })).schedules.primary!.notifyBeforeMs).toBeNull();
  });

  it('announce_channel still decides where overrides are announced, apart from the team channel', () => {
    const primary = parseOncallConfig(file({ channel: 'C0TEAM1', announce_channel: 'C0OVERRIDES' })).schedules
      .primary!;
    expect(primary.channel).toBe('C0TEAM1');
    expect(primary.announceChannel).toBe('C0OVERRIDES');
  });

  it('refuses bad values by path', () => {
    expect(
      problemsOf(file({ slack_usergroup: '@Checkout On Call', notify_before: 'soon', channel: 'general' })),
    ).toEqual([
      'schedules.primary.slack_usergroup: expected a user group handle such as checkout-oncall (lowercase, no @) (got "@Checkout On Call")',
      'schedules.primary.notify_before: expected a duration such as 1h or 30m, or off (got "soon")',
      'schedules.primary.channel: expected a Slack channel id such as C0123ABCD (got "general")',
    ]);
  });

  it('refuses permanent members without a user group, and one user group following two schedules', () => {
    expect(problemsOf(file({ usergroup_members_always: ['U012ABCDEF'] }))).toEqual([
      'schedules.primary.usergroup_members_always: needs slack_usergroup on the same schedule',
    ]);
    const secondary = {
      rotation: { length: 'weekly', handoff: '09:00', start: '2026-11-02' },
      participants: ['U012ABCDEF'],
      slack_usergroup: 'checkout-oncall',
    };
    expect(problemsOf(file({ slack_usergroup: 'checkout-oncall' }, { secondary }))).toEqual([
      'schedules.secondary.slack_usergroup: "checkout-oncall" already follows schedule primary; a user group can follow one schedule',
    ]);
  });
});
