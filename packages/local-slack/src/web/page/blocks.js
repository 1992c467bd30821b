import { el, toast } from './dom.js';
import { renderInput } from './modal-inputs.js';
import { EMOJI, emojify, plain, textObject, unsupported } from './mrkdwn.js';
import { app } from './page-state.js';

// Block Kit → DOM.

/**
 * ctx: { onButton(element, block), modal?: { errors, values } }: in a modal, input blocks become form
 * fields; elsewhere buttons call onButton.
 */
export function renderBlocks(blocks, ctx) {
  return (blocks ?? []).map((block) => {
    try {
      return renderBlock(block, ctx);
    } catch (error) {
      return el('div', { class: 'block' }, unsupported('block', `${block?.type} (${error.message})`));
    }
  });
}

function renderBlock(block, ctx) {
  const attrs = { class: `block block-${block.type}`, 'data-block-id': block.block_id };
  switch (block.type) {
    case 'header':
      return el('div', attrs, emojify(plain(block.text)));
    case 'section': {
      const body = el('div', { class: 'section-body' });
      if (block.text) body.append(textObject(block.text));
      if (Array.isArray(block.fields) && block.fields.length > 0) {
        body.append(
          el(
            'div',
            { class: 'fields' },
            block.fields.map((field) => textObject(field)),
          ),
        );
      }
      const node = el('div', attrs, body);
      if (block.accessory) node.append(renderElement(block.accessory, block, ctx));
      return node;
    }
    case 'context':
      return el(
        'div',
        attrs,
        (block.elements ?? []).map((element) =>
          element.type === 'image'
            ? el('img', { src: element.image_url, alt: element.alt_text ?? '' })
            : textObject(element, 'mrkdwn context-item'),
        ),
      );
    case 'divider':
      return el('hr', attrs);
    case 'actions':
      return el(
        'div',
        attrs,
        (block.elements ?? []).map((element) => renderElement(element, block, ctx)),
      );
    case 'image':
      return el(
        'div',
        attrs,
        block.title ? el('div', {}, plain(block.title)) : null,
        el('img', { src: block.image_url, alt: block.alt_text ?? '' }),
      );
    case 'input':
      if (ctx.modal) return renderInput(block, ctx);
      return el('div', attrs, unsupported('block', 'input outside a modal'));
    case 'rich_text':
      return el('div', { ...attrs, class: `${attrs.class} mrkdwn` }, richText(block));
    default:
      return el('div', attrs, unsupported('block', block.type));
  }
}

function richText(block) {
  const out = [];
  const walk = (node) => {
    if (!node || typeof node !== 'object') return;
    if (node.type === 'text') out.push(node.text ?? '');
    else if (node.type === 'link') out.push(node.text || node.url || '');
    else if (node.type === 'user') out.push(`@${app.data?.userNames?.[node.user_id] ?? node.user_id}`);
    else if (node.type === 'channel')
      out.push(`#${app.data?.channelNames?.[node.channel_id] ?? node.channel_id}`);
    else if (node.type === 'emoji') out.push(EMOJI[node.name] ?? `:${node.name}:`);
    for (const child of node.elements ?? []) walk(child);
    if (/^rich_text_(section|preformatted|quote)$/.test(node.type)) out.push('\n');
  };
  walk(block);
  return el('div', { style: 'white-space: pre-wrap' }, out.join('').trimEnd());
}

function renderElement(element, block, ctx) {
  if (element.type === 'button') return renderButton(element, block, ctx);
  if (element.type === 'image')
    return el('img', { src: element.image_url, alt: element.alt_text ?? '', width: 48 });
  return unsupported('element', element.type);
}

function renderButton(element, block, ctx) {
  const style = element.style === 'primary' || element.style === 'danger' ? ` ${element.style}` : '';
  const button = el(
    'button',
    {
      type: 'button',
      class: `btn${style}`,
      'data-action-id': element.action_id,
      'data-block-id': block.block_id,
      testid: 'button',
    },
    plain(element.text),
  );
  button.addEventListener('click', async () => {
    if (element.confirm && !window.confirm(confirmText(element.confirm))) return;
    if (element.url) window.open(element.url, '_blank', 'noopener');
    if (!ctx.onButton) {
      toast(`No handler for ${element.action_id} here`, 'error');
      return;
    }
    button.disabled = true;
    try {
      await ctx.onButton(element, block);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

function confirmText(confirm) {
  return [plain(confirm.title), plain(confirm.text)].filter(Boolean).join('\n\n');
}
