/**
 * Slack's Block Kit size limits (api.slack.com/reference/block-kit: blocks, block elements, composition
 * objects), checked the way Slack checks them: a message or view that breaks one is refused whole,
 * with one `[ERROR] … [json-pointer:…]` line per problem. Lengths are counted in UTF-16 units, which is
 * never less than Slack's character count, so what passes here passes on Slack.
 */

export const BLOCK_LIMITS = {
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  textObject: 3000,
  blockId: 255,
  actionId: 255,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  selectOptions: 100,
  checkboxOptions: 10,
  altText: 2000,
} as const;

type Problems = string[];
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function tooLong(problems: Problems, value: unknown, max: number, pointer: string): void {
  if (typeof value === 'string' && value.length > max)
    problems.push(`[ERROR] must be less than ${max + 1} characters [json-pointer:${pointer}]`);
}

function tooMany(problems: Problems, value: unknown, max: number, pointer: string): void {
  if (Array.isArray(value) && value.length > max)
    problems.push(`[ERROR] no more than ${max} items allowed [json-pointer:${pointer}]`);
}

/** A text object: `{ type: 'plain_text' | 'mrkdwn', text }`, non-empty and within `max`. */
function text(problems: Problems, value: unknown, max: number, pointer: string, plainOnly = false): void {
  if (value === undefined) return;
  if (!isObject(value) || typeof value.text !== 'string') {
    problems.push(`[ERROR] must be a text object [json-pointer:${pointer}]`);
    return;
  }
  if (plainOnly && value.type !== 'plain_text')
    problems.push(`[ERROR] must be a plain_text object [json-pointer:${pointer}/type]`);
  if (value.text.length === 0)
    problems.push(`[ERROR] must be more than 0 characters [json-pointer:${pointer}/text]`);
  tooLong(problems, value.text, Math.min(max, BLOCK_LIMITS.textObject), `${pointer}/text`);
}

function option(problems: Problems, value: unknown, pointer: string): void {
  if (!isObject(value)) return;
  text(problems, value.text, BLOCK_LIMITS.optionText, `${pointer}/text`);
  tooLong(problems, value.value, BLOCK_LIMITS.optionValue, `${pointer}/value`);
  text(problems, value.description, BLOCK_LIMITS.optionDescription, `${pointer}/description`);
}

function element(problems: Problems, value: unknown, pointer: string): void {
  if (!isObject(value)) return;
  tooLong(problems, value.action_id, BLOCK_LIMITS.actionId, `${pointer}/action_id`);
  text(problems, value.placeholder, BLOCK_LIMITS.placeholder, `${pointer}/placeholder`, true);
  if (value.type === 'button') {
    text(problems, value.text, BLOCK_LIMITS.buttonText, `${pointer}/text`, true);
    tooLong(problems, value.value, BLOCK_LIMITS.buttonValue, `${pointer}/value`);
    tooLong(problems, value.url, BLOCK_LIMITS.url, `${pointer}/url`);
  }
  if (value.type === 'image') tooLong(problems, value.alt_text, BLOCK_LIMITS.altText, `${pointer}/alt_text`);
  const options = value.options;
  const maxOptions =
    value.type === 'checkboxes' || value.type === 'radio_buttons'
      ? BLOCK_LIMITS.checkboxOptions
      : BLOCK_LIMITS.selectOptions;
  tooMany(problems, options, maxOptions, `${pointer}/options`);
  if (Array.isArray(options))
    options.forEach((o, i) => {
      option(problems, o, `${pointer}/options/${i}`);
    });
  option(problems, value.initial_option, `${pointer}/initial_option`);
  if (isObject(value.confirm)) {
    const c = value.confirm;
    const at = `${pointer}/confirm`;
    text(problems, c.title, BLOCK_LIMITS.confirmTitle, `${at}/title`, true);
    text(problems, c.text, BLOCK_LIMITS.confirmText, `${at}/text`);
    text(problems, c.confirm, BLOCK_LIMITS.confirmButton, `${at}/confirm`, true);
    text(problems, c.deny, BLOCK_LIMITS.confirmButton, `${at}/deny`, true);
  }
}

function block(problems: Problems, value: Json, pointer: string): void {
  tooLong(problems, value.block_id, BLOCK_LIMITS.blockId, `${pointer}/block_id`);
  switch (value.type) {
    case 'section':
      text(problems, value.text, BLOCK_LIMITS.sectionText, `${pointer}/text`);
      tooMany(problems, value.fields, BLOCK_LIMITS.sectionFields, `${pointer}/fields`);
      if (Array.isArray(value.fields))
        value.fields.forEach((f, i) => {
          text(problems, f, BLOCK_LIMITS.fieldText, `${pointer}/fields/${i}`);
        });
      if (value.text === undefined && value.fields === undefined)
        problems.push(`[ERROR] must provide either text or fields [json-pointer:${pointer}]`);
      element(problems, value.accessory, `${pointer}/accessory`);
      break;
    case 'header':
      if (value.text === undefined)
        problems.push(`[ERROR] missing required field: text [json-pointer:${pointer}]`);
      text(problems, value.text, BLOCK_LIMITS.headerText, `${pointer}/text`, true);
      break;
    case 'context':
      tooMany(problems, value.elements, BLOCK_LIMITS.contextElements, `${pointer}/elements`);
      if (Array.isArray(value.elements))
        value.elements.forEach((e, i) => {
          const at = `${pointer}/elements/${i}`;
          if (isObject(e) && e.type === 'image') element(problems, e, at);
          else text(problems, e, BLOCK_LIMITS.textObject, at);
        });
      break;
    case 'actions':
      tooMany(problems, value.elements, BLOCK_LIMITS.actionsElements, `${pointer}/elements`);
      if (Array.isArray(value.elements))
        value.elements.forEach((e, i) => {
          element(problems, e, `${pointer}/elements/${i}`);
        });
      break;
    case 'input':
      text(problems, value.label, BLOCK_LIMITS.inputLabel, `${pointer}/label`, true);
      text(problems, value.hint, BLOCK_LIMITS.inputHint, `${pointer}/hint`, true);
      element(problems, value.element, `${pointer}/element`);
      break;
    case 'image':
      element(problems, value, pointer);
      tooLong(problems, value.image_url, BLOCK_LIMITS.url, `${pointer}/image_url`);
      break;
  }
}

/**
 * Every way `blocks` break Slack's size limits, as Slack words them; empty when Slack would take them.
 * `maxBlocks` is 50 for a message, 100 for a modal or App Home.
 */
export function blockLimitProblems(blocks: readonly unknown[], maxBlocks: number): string[] {
  const problems: Problems = [];
  tooMany(problems, blocks, maxBlocks, '/blocks');
  blocks.forEach((b, i) => {
    if (isObject(b)) block(problems, b, `/blocks/${i}`);
  });
  return problems;
}
