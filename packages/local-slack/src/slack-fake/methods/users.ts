import { requireString } from '../args.js';
import type { MethodTable } from '../dispatcher.js';
import { SlackApiError } from '../errors.js';
import { paginate } from './pagination.js';

export const userMethods: MethodTable = {
  'users.info': (state, args) => {
    const user = state.users.get(requireString(args, 'user', 'user_not_found'));
    if (!user) throw new SlackApiError('user_not_found');
    return { user: structuredClone(user) };
  },
  'users.list': (state, args) => {
    const { page, nextCursor } = paginate([...state.users.values()], args, { limit: 200, max: 1000 });
    return {
      members: structuredClone(page),
      cache_ts: Math.floor(state.now() / 1000),
      response_metadata: { next_cursor: nextCursor },
    };
  },
  'users.lookupByEmail': (state, args) => {
    const email = requireString(args, 'email', 'users_not_found').toLowerCase();
    const user = [...state.users.values()].find(
      (u) => u.profile.email?.toLowerCase() === email && !u.deleted,
    );
    if (!user) throw new SlackApiError('users_not_found');
    return { user: structuredClone(user) };
  },
};
