import { optionalBoolean, optionalString, stringList } from '../args.js';
import type { MethodHandler, MethodTable } from '../dispatcher.js';
import { SlackApiError } from '../errors.js';
import type { FakeState } from '../state.js';
import { nowSeconds } from '../state.js';
import type { Args, SlackUsergroup } from '../types.js';

/**
 * User groups (`@checkout-oncall`): list, create, and set or read their members. A workspace whose plan
 * has no user groups (`fake.setPlan({ usergroups: false })`, as on Slack's free plan) answers every one
 * of these `paid_teams_only`.
 */

function required(args: Args, key: string): string {
  const value = optionalString(args, key)?.trim();
  if (!value) throw new SlackApiError('missing_argument', { needed: key });
  return value;
}

function planned(handler: MethodHandler): MethodHandler {
  return (state, args) => {
    if (!state.plan.usergroups) throw new SlackApiError('paid_teams_only');
    return handler(state, args);
  };
}

function findGroup(state: FakeState, args: Args): SlackUsergroup {
  const group = state.usergroups.get(required(args, 'usergroup'));
  if (!group) throw new SlackApiError('no_such_subteam');
  return group;
}

/** The group as Slack renders it: `users` only when asked for, `user_count` always. */
function render(group: SlackUsergroup, withUsers: boolean): Record<string, unknown> {
  const { users, ...rest } = structuredClone(group);
  return withUsers ? { ...rest, users } : rest;
}

/** A handle must be unique among user groups, people and channels (Slack's rule for mentions). */
function handleTaken(state: FakeState, handle: string): boolean {
  const lower = handle.toLowerCase();
  return (
    [...state.usergroups.values()].some((g) => g.handle.toLowerCase() === lower) ||
    [...state.users.values()].some((u) => u.name.toLowerCase() === lower) ||
    [...state.channels.values()].some((c) => !c.isIm && c.name.toLowerCase() === lower)
  );
}

export const usergroupMethods: MethodTable = {
  'usergroups.list': planned((state, args) => {
    const withUsers = optionalBoolean(args, 'include_users') === true;
    const withDisabled = optionalBoolean(args, 'include_disabled') === true;
    const groups = [...state.usergroups.values()].filter((g) => withDisabled || g.date_delete === 0);
    return { usergroups: groups.map((g) => render(g, withUsers)) };
  }),

  'usergroups.create': planned((state, args) => {
    const name = required(args, 'name');
    const handle = optionalString(args, 'handle')?.trim() || name.toLowerCase().replace(/\s+/g, '-');
    if ([...state.usergroups.values()].some((g) => g.name.toLowerCase() === name.toLowerCase()))
      throw new SlackApiError('name_already_exists');
    if (handleTaken(state, handle)) throw new SlackApiError('handle_already_exists');
    const now = nowSeconds(state);
    const group: SlackUsergroup = {
      id: state.ids.usergroup(),
      team_id: state.config.teamId,
      is_usergroup: true,
      is_subteam: true,
      name,
      description: optionalString(args, 'description') ?? '',
      handle,
      is_external: false,
      date_create: now,
      date_update: now,
      date_delete: 0,
      auto_type: null,
      auto_provision: false,
      enterprise_subteam_id: '',
      created_by: state.config.botUserId,
      updated_by: state.config.botUserId,
      deleted_by: null,
      prefs: { channels: stringList(args, 'channels'), groups: [] },
      users: [],
      user_count: 0,
    };
    state.usergroups.set(group.id, group);
    state.emit({ type: 'usergroup' });
    return { usergroup: render(group, true) };
  }),

  'usergroups.users.list': planned((state, args) => {
    const group = findGroup(state, args);
    if (group.date_delete !== 0 && optionalBoolean(args, 'include_disabled') !== true)
      throw new SlackApiError('no_such_subteam');
    return { users: [...group.users] };
  }),

  'usergroups.users.update': planned((state, args) => {
    const group = findGroup(state, args);
    if (args.users === undefined) throw new SlackApiError('no_users_provided');
    const users = [...new Set(stringList(args, 'users'))];
    if (users.length === 0 || users.some((id) => !state.users.get(id) || state.users.get(id)!.deleted))
      throw new SlackApiError('invalid_users');
    group.users = users;
    group.user_count = users.length;
    group.date_update = nowSeconds(state);
    group.updated_by = state.config.botUserId;
    state.emit({ type: 'usergroup' });
    return { usergroup: render(group, true) };
  }),
};
