import { isRecord } from './args.js';
import { blockLimitProblems } from './block-limits.js';
import { SlackApiError } from './errors.js';
import type { IdFactory } from './ids.js';
import type { SlackBlock } from './types.js';

export const MAX_MESSAGE_BLOCKS = 50;
export const MAX_VIEW_BLOCKS = 100;

const NON_INTERACTIVE_ELEMENTS = new Set(['image', 'mrkdwn', 'plain_text']);

/**
 * Validates blocks the way Slack rejects them and fills in the `block_id`s and `action_id`s Slack assigns
 * when the app leaves them out, so interaction payloads can always name their source.
 */
export function normalizeBlocks(blocks: unknown, ids: IdFactory, maxBlocks: number): SlackBlock[] {
  if (!Array.isArray(blocks)) throw new SlackApiError('invalid_blocks_format');
  const problems = blockLimitProblems(blocks, maxBlocks);
  if (problems.length > 0)
    throw new SlackApiError('invalid_blocks', { response_metadata: { messages: problems } });
  const seen = new Set<string>();
  return blocks.map((raw, index) => {
    if (!isRecord(raw) || typeof raw.type !== 'string') {
      throw new SlackApiError('invalid_blocks', {
        response_metadata: {
          messages: [`[ERROR] missing required field: type [json-pointer:/blocks/${index}]`],
        },
      });
    }
    const block = structuredClone(raw) as SlackBlock;
    block.block_id ??= ids.blockId();
    if (seen.has(block.block_id)) {
      throw new SlackApiError('invalid_blocks', {
        response_metadata: {
          messages: [`[ERROR] duplicate block_id ${block.block_id} [json-pointer:/blocks]`],
        },
      });
    }
    seen.add(block.block_id);
    for (const element of interactiveElements(block)) element.action_id ??= ids.blockId();
    return block;
  });
}

/** The elements of a block a user can act on (buttons, selects, inputs…). */
export function interactiveElements(block: SlackBlock): Record<string, unknown>[] {
  const candidates: unknown[] = [];
  if (block.type === 'section') candidates.push(block.accessory);
  if (block.type === 'input') candidates.push(block.element);
  if (block.type === 'actions' && Array.isArray(block.elements)) candidates.push(...block.elements);
  return candidates.filter(
    (element): element is Record<string, unknown> =>
      isRecord(element) && typeof element.type === 'string' && !NON_INTERACTIVE_ELEMENTS.has(element.type),
  );
}
