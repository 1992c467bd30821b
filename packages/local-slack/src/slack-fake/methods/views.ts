import { optionalString, requireString } from '../args.js';
import type { MethodTable } from '../dispatcher.js';
import { invalidArguments, SlackApiError } from '../errors.js';
import type { FakeState } from '../state.js';
import { consumeTrigger } from '../triggers.js';
import type { Args, FakeView } from '../types.js';
import {
  findLiveView,
  openModal,
  publishHome,
  pushModal,
  replaceView,
  validateViewInput,
} from '../view-store.js';

function viewResponse(record: FakeView) {
  return { view: structuredClone(record.view) };
}

/** Who the trigger belongs to decides whose modal stack the view joins. */
function triggerUser(state: FakeState, args: Args): string {
  return consumeTrigger(state, requireString(args, 'trigger_id')).userId ?? '';
}

function assertHash(record: FakeView, args: Args): void {
  const hash = optionalString(args, 'hash');
  if (hash !== undefined && hash !== '' && hash !== record.view.hash)
    throw new SlackApiError('hash_conflict');
}

export const viewMethods: MethodTable = {
  'views.open': (state, args) => {
    const input = validateViewInput(state, args.view, 'modal');
    return viewResponse(openModal(state, triggerUser(state, args), input));
  },

  'views.push': (state, args) => {
    const input = validateViewInput(state, args.view, 'modal');
    return viewResponse(pushModal(state, triggerUser(state, args), input));
  },

  'views.update': (state, args) => {
    const viewId = optionalString(args, 'view_id');
    const externalId = optionalString(args, 'external_id');
    if (!viewId && !externalId) throw invalidArguments('missing required field: view_id or external_id');
    const record = findLiveView(state, viewId ? { viewId } : { externalId: externalId ?? '' });
    const input = validateViewInput(state, args.view, record.view.type === 'home' ? 'home' : 'modal');
    assertHash(record, args);
    return viewResponse(replaceView(state, record, input));
  },

  'views.publish': (state, args) => {
    const userId = requireString(args, 'user_id');
    const input = validateViewInput(state, args.view, 'home');
    if (!state.users.has(userId)) throw new SlackApiError('user_not_found');
    const homeId = state.homeViews.get(userId);
    const current = homeId ? state.views.get(homeId) : undefined;
    if (current) assertHash(current, args);
    return viewResponse(publishHome(state, userId, input));
  },
};
