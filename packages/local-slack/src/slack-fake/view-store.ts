import { isRecord } from './args.js';
import { MAX_VIEW_BLOCKS, normalizeBlocks } from './blocks.js';
import { invalidArguments, SlackApiError } from './errors.js';
import { viewHash } from './ids.js';
import type { FakeState } from './state.js';
import type { FakeView, SlackView, TextObject } from './types.js';

/** Slack keeps at most three modals on a stack (the opened one plus two pushes). */
export const MODAL_STACK_LIMIT = 3;
const PRIVATE_METADATA_MAX = 3000;
const MODAL_TEXT_MAX = 24;

export type ViewInput = Record<string, unknown>;

function textObject(value: unknown): TextObject | undefined {
  return isRecord(value) && typeof value.text === 'string' ? (value as unknown as TextObject) : undefined;
}

/**
 * Rejects what Slack rejects with `invalid_arguments`, blocks included, before any state changes (so a
 * bad view does not spend the trigger id).
 */
export function validateViewInput(state: FakeState, input: unknown, kind: 'modal' | 'home'): ViewInput {
  if (!isRecord(input)) throw invalidArguments('missing required field: view');
  if (input.type !== kind) throw invalidArguments(`view type must be ${kind} [json-pointer:/view/type]`);
  if (kind === 'modal') {
    const title = textObject(input.title);
    if (!title) throw invalidArguments('missing required field: title [json-pointer:/view]');
    for (const key of ['title', 'submit', 'close'] as const) {
      const text = textObject(input[key]);
      if (text && text.text.length > MODAL_TEXT_MAX) {
        throw invalidArguments(
          `must be less than ${MODAL_TEXT_MAX + 1} characters [json-pointer:/view/${key}/text]`,
        );
      }
    }
    const hasInput =
      Array.isArray(input.blocks) && input.blocks.some((b) => isRecord(b) && b.type === 'input');
    if (hasInput && !textObject(input.submit)) {
      throw invalidArguments('must provide a submit property when using input blocks [json-pointer:/view]');
    }
  }
  if (typeof input.private_metadata === 'string' && input.private_metadata.length > PRIVATE_METADATA_MAX) {
    throw invalidArguments(
      `must be less than ${PRIVATE_METADATA_MAX + 1} characters [json-pointer:/view/private_metadata]`,
    );
  }
  try {
    normalizeBlocks(input.blocks ?? [], state.ids, MAX_VIEW_BLOCKS);
  } catch (error) {
    if (error instanceof SlackApiError) throw new SlackApiError('invalid_arguments', error.extra);
    throw error;
  }
  return input;
}

function buildView(
  state: FakeState,
  input: ViewInput,
  placement: { id: string; rootViewId: string | null; previousViewId: string | null },
): SlackView {
  const { teamId, appId, botId } = state.config;
  const title = textObject(input.title);
  return {
    id: placement.id,
    team_id: teamId,
    type: String(input.type),
    ...(title ? { title } : {}),
    close: textObject(input.close) ?? null,
    submit: textObject(input.submit) ?? null,
    blocks: normalizeBlocks(input.blocks ?? [], state.ids, MAX_VIEW_BLOCKS),
    private_metadata: typeof input.private_metadata === 'string' ? input.private_metadata : '',
    callback_id: typeof input.callback_id === 'string' ? input.callback_id : '',
    state: { values: {} },
    hash: viewHash(state.now()),
    clear_on_close: input.clear_on_close === true,
    notify_on_close: input.notify_on_close === true,
    root_view_id: placement.rootViewId,
    previous_view_id: placement.previousViewId,
    app_id: appId,
    external_id: typeof input.external_id === 'string' ? input.external_id : '',
    app_installed_team_id: teamId,
    bot_id: botId,
  };
}

function liveViews(state: FakeState): FakeView[] {
  return [...state.views.values()].filter((record) => record.status === 'open');
}

/** `external_id` is unique per workspace among live views. */
function assertExternalIdFree(state: FakeState, input: ViewInput, exceptViewId?: string): void {
  const externalId = input.external_id;
  if (typeof externalId !== 'string' || externalId === '') return;
  const clash = liveViews(state).some((r) => r.view.external_id === externalId && r.view.id !== exceptViewId);
  if (clash) throw new SlackApiError('duplicate_external_id');
}

export function findLiveView(state: FakeState, ref: { viewId?: string; externalId?: string }): FakeView {
  const record = ref.viewId
    ? state.views.get(ref.viewId)
    : liveViews(state).find((r) => r.view.external_id === ref.externalId);
  if (record?.status !== 'open') throw new SlackApiError('not_found');
  return record;
}

function modalStack(state: FakeState, userId: string): string[] {
  let stack = state.modalStacks.get(userId);
  if (!stack) {
    stack = [];
    state.modalStacks.set(userId, stack);
  }
  return stack;
}

/** Opens a modal as a new stack; a stack the user still had open is replaced. */
export function openModal(state: FakeState, userId: string, input: ViewInput): FakeView {
  assertExternalIdFree(state, input);
  const id = state.ids.view();
  const record: FakeView = {
    view: buildView(state, input, { id, rootViewId: id, previousViewId: null }),
    userId,
    status: 'open',
  };
  closeStack(state, userId);
  state.views.set(id, record);
  modalStack(state, userId).push(id);
  state.emit({ type: 'view', viewId: id, userId });
  return record;
}

export function pushModal(state: FakeState, userId: string, input: ViewInput): FakeView {
  const stack = modalStack(state, userId);
  if (stack.length >= MODAL_STACK_LIMIT) throw new SlackApiError('push_limit_reached');
  assertExternalIdFree(state, input);
  const id = state.ids.view();
  const previous = stack[stack.length - 1] ?? null;
  const root = stack[0] ?? id;
  const record: FakeView = {
    view: buildView(state, input, { id, rootViewId: root, previousViewId: previous }),
    userId,
    status: 'open',
  };
  state.views.set(id, record);
  stack.push(id);
  state.emit({ type: 'view', viewId: id, userId });
  return record;
}

/** Replaces a live view's content in place: same id and stack position, new hash. */
export function replaceView(state: FakeState, record: FakeView, input: ViewInput): FakeView {
  assertExternalIdFree(state, input, record.view.id);
  record.view = buildView(state, input, {
    id: record.view.id,
    rootViewId: record.view.root_view_id,
    previousViewId: record.view.previous_view_id,
  });
  delete record.errors;
  state.emit({ type: 'view', viewId: record.view.id, userId: record.userId });
  return record;
}

/** Publishes the user's App Home: one view per user, updated in place. */
export function publishHome(state: FakeState, userId: string, input: ViewInput): FakeView {
  const existingId = state.homeViews.get(userId);
  const existing = existingId ? state.views.get(existingId) : undefined;
  if (existing) return replaceView(state, existing, input);
  assertExternalIdFree(state, input);
  const id = state.ids.view();
  const record: FakeView = {
    view: buildView(state, input, { id, rootViewId: null, previousViewId: null }),
    userId,
    status: 'open',
  };
  state.views.set(id, record);
  state.homeViews.set(userId, id);
  state.emit({ type: 'view', viewId: id, userId });
  return record;
}

/** Closes one modal (and anything pushed above it), as an empty view_submission ack does. */
export function closeModal(state: FakeState, viewId: string): void {
  const record = state.views.get(viewId);
  if (record?.status !== 'open') return;
  const stack = modalStack(state, record.userId);
  const index = stack.indexOf(viewId);
  const closing = index >= 0 ? stack.splice(index) : [viewId];
  for (const id of closing) {
    const view = state.views.get(id);
    if (view) view.status = 'closed';
    state.emit({ type: 'view', viewId: id, userId: record.userId });
  }
}

/** Closes every modal the user has open (`response_action: 'clear'`). */
export function closeStack(state: FakeState, userId: string): void {
  const root = state.modalStacks.get(userId)?.[0];
  if (root) closeModal(state, root);
}
