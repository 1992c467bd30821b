import { isRecord } from './slack-fake/args.js';
import { interactiveElements } from './slack-fake/blocks.js';
import type { SlackBlock } from './slack-fake/types.js';

/**
 * What a person entered in a view: block_id → action_id → a plain value. Strings for text inputs,
 * single selects (the option value), users/conversations/channels selects (the id) and date/time
 * pickers; string arrays for checkboxes and multi selects; `true`/`false` toggles a single checkbox.
 */
export type ViewInputValues = Record<string, Record<string, string | string[] | boolean | number | null>>;

type StateValue = Record<string, unknown> & { type: string };
export type ViewStateValues = Record<string, Record<string, StateValue>>;

/** Elements that keep no state (Slack leaves them out of `view.state.values`). */
const STATELESS = new Set(['button', 'overflow', 'workflow_button']);

type Option = Record<string, unknown> & { value?: unknown };

function elementOptions(element: Record<string, unknown>): Option[] {
  const direct = Array.isArray(element.options) ? element.options : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups.flatMap((group) =>
        isRecord(group) && Array.isArray(group.options) ? group.options : [],
      )
    : [];
  return [...direct, ...grouped].filter(isRecord);
}

function optionFor(element: Record<string, unknown>, value: string, where: string): Option {
  const option = elementOptions(element).find((candidate) => candidate.value === value);
  if (option) return structuredClone(option);
  // External selects load options from the app, so any value is plausible.
  if (String(element.type).includes('external'))
    return { text: { type: 'plain_text', text: value, emoji: true }, value };
  throw new Error(`slack driver: ${where} has no option with value "${value}"`);
}

function asList(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function asSingle(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return String(value);
}

/** The initial value Slack would submit for an element the person did not touch. */
function initialInput(element: Record<string, unknown>): unknown {
  const single = (option: unknown) => (isRecord(option) ? option.value : undefined);
  const many = (options: unknown) => (Array.isArray(options) ? options.map(single) : undefined);
  return (
    element.initial_value ??
    single(element.initial_option) ??
    many(element.initial_options) ??
    element.initial_user ??
    element.initial_users ??
    element.initial_conversation ??
    element.initial_conversations ??
    element.initial_channel ??
    element.initial_channels ??
    element.initial_date ??
    element.initial_time ??
    element.initial_date_time
  );
}

/** Slack's state entry for one element, in the shape of its element type. */
function stateValue(element: Record<string, unknown>, input: unknown, where: string): StateValue {
  const type = String(element.type);
  switch (type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return { type, value: asSingle(input) };
    case 'static_select':
    case 'external_select':
    case 'radio_buttons': {
      const value = asSingle(input);
      return { type, selected_option: value === null ? null : optionFor(element, value, where) };
    }
    case 'multi_static_select':
    case 'multi_external_select':
      return { type, selected_options: asList(input).map((value) => optionFor(element, value, where)) };
    case 'checkboxes': {
      const options = elementOptions(element);
      const values =
        typeof input === 'boolean'
          ? input
            ? options.slice(0, 1).map((o) => String(o.value))
            : []
          : asList(input);
      return { type, selected_options: values.map((value) => optionFor(element, value, where)) };
    }
    case 'users_select':
      return { type, selected_user: asSingle(input) };
    case 'multi_users_select':
      return { type, selected_users: asList(input) };
    case 'conversations_select':
      return { type, selected_conversation: asSingle(input) };
    case 'multi_conversations_select':
      return { type, selected_conversations: asList(input) };
    case 'channels_select':
      return { type, selected_channel: asSingle(input) };
    case 'multi_channels_select':
      return { type, selected_channels: asList(input) };
    case 'datepicker':
      return { type, selected_date: asSingle(input) };
    case 'timepicker':
      return { type, selected_time: asSingle(input) };
    case 'datetimepicker':
      return { type, selected_date_time: input === null || input === undefined ? null : Number(input) };
    case 'rich_text_input': {
      const text = asSingle(input);
      return {
        type,
        rich_text_value: {
          type: 'rich_text',
          elements: text === null ? [] : [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
        },
      };
    }
    default:
      return { type, value: asSingle(input) };
  }
}

function isEmpty(value: StateValue): boolean {
  return Object.entries(value).every(
    ([key, entry]) => key === 'type' || entry === null || (Array.isArray(entry) && entry.length === 0),
  );
}

/**
 * Builds `view.state.values` as Slack would send it: every stateful element present, untouched ones
 * with their initial value or null. With `requireInputs`, a required input left empty throws, because
 * Slack's client refuses to submit such a form.
 */
export function buildViewState(
  blocks: SlackBlock[],
  values: ViewInputValues,
  options: { requireInputs: boolean },
): ViewStateValues {
  const state: ViewStateValues = {};
  const unused = new Set(
    Object.entries(values).flatMap(([blockId, actions]) =>
      Object.keys(actions).map((a) => `${blockId}/${a}`),
    ),
  );
  for (const block of blocks) {
    const blockId = block.block_id ?? '';
    for (const element of interactiveElements(block)) {
      if (STATELESS.has(String(element.type))) continue;
      const actionId = String(element.action_id);
      const key = `${blockId}/${actionId}`;
      const given = Object.hasOwn(values[blockId] ?? {}, actionId);
      unused.delete(key);
      const value = stateValue(element, given ? values[blockId]?.[actionId] : initialInput(element), key);
      if (options.requireInputs && block.type === 'input' && block.optional !== true && isEmpty(value)) {
        throw new Error(`slack driver: Slack would not submit the view: required input ${key} is empty`);
      }
      state[blockId] = { ...state[blockId], [actionId]: value };
    }
  }
  if (unused.size > 0) {
    throw new Error(`slack driver: the view has no input ${[...unused].join(', ')}`);
  }
  return state;
}

/** Finds a button by `action_id` in a message's or a view's blocks. */
export function findButton(
  blocks: SlackBlock[] | undefined,
  actionId: string,
): { blockId: string; element: Record<string, unknown> } | undefined {
  for (const block of blocks ?? []) {
    const element = interactiveElements(block).find((e) => e.type === 'button' && e.action_id === actionId);
    if (element) return { blockId: block.block_id ?? '', element };
  }
  return undefined;
}
