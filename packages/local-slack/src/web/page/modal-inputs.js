import { el, escapeHtml } from './dom.js';
import { mrkdwn, plain, unsupported } from './mrkdwn.js';
import { app } from './page-state.js';

// A modal's input blocks as form fields, and the values read back from them.

const FIELD_TYPES = {
  plain_text_input: 'text',
  email_text_input: 'email',
  url_text_input: 'url',
  number_input: 'number',
  datepicker: 'date',
  timepicker: 'time',
};

function optionLabel(option) {
  return plain(option.text) || option.value;
}

function allOptions(element) {
  const grouped = (element.option_groups ?? []).flatMap((group) => group.options ?? []);
  return [...(element.options ?? []), ...grouped];
}

export const FIELD_TYPES_OR_SELECTS = Object.fromEntries(
  [
    ...Object.keys(FIELD_TYPES),
    'static_select',
    'users_select',
    'multi_static_select',
    'multi_users_select',
    'checkboxes',
    'radio_buttons',
  ].map((type) => [type, true]),
);

export function renderInput(block, ctx) {
  const element = block.element ?? {};
  const error = ctx.modal.errors?.[block.block_id];
  const id = `input-${block.block_id}-${element.action_id}`;
  const base = {
    id,
    'data-block-id': block.block_id,
    'data-action-id': element.action_id,
    'data-type': element.type,
  };
  let field;
  switch (element.type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
    case 'datepicker':
    case 'timepicker': {
      const tag = element.multiline ? 'textarea' : 'input';
      field = el(tag, {
        ...base,
        type: tag === 'input' ? FIELD_TYPES[element.type] : undefined,
        placeholder: plain(element.placeholder) || undefined,
        maxlength: element.max_length,
        testid: 'modal-input',
      });
      field.value = element.initial_value ?? element.initial_date ?? element.initial_time ?? '';
      break;
    }
    case 'static_select':
    case 'users_select':
    case 'multi_static_select':
    case 'multi_users_select': {
      const multi = element.type.startsWith('multi_');
      const users = element.type.includes('users');
      const options = users
        ? app.users.map((u) => ({ value: u.id, label: u.label }))
        : allOptions(element).map((o) => ({ value: o.value, label: optionLabel(o) }));
      const initial = new Set(
        users
          ? [element.initial_user, ...(element.initial_users ?? [])].filter(Boolean)
          : [element.initial_option?.value, ...(element.initial_options ?? []).map((o) => o.value)].filter(
              Boolean,
            ),
      );
      if (users) {
        for (const value of initial) {
          if (!options.some((o) => o.value === value))
            options.push({ value, label: app.data?.userNames?.[value] ?? value });
        }
      }
      field = el('select', { ...base, multiple: multi, testid: 'modal-input' });
      if (!multi) field.append(el('option', { value: '' }, plain(element.placeholder) || 'Select…'));
      for (const option of options) {
        field.append(
          el('option', { value: option.value, selected: initial.has(option.value) }, option.label),
        );
      }
      if (!multi && !initial.size) field.value = '';
      break;
    }
    case 'checkboxes':
    case 'radio_buttons': {
      const initial = new Set(
        [element.initial_option?.value, ...(element.initial_options ?? []).map((o) => o.value)].filter(
          Boolean,
        ),
      );
      field = el('div', { ...base, testid: 'modal-input', role: 'group' });
      for (const option of element.options ?? []) {
        field.append(
          el(
            'label',
            { class: 'checkbox-option' },
            el('input', {
              type: element.type === 'checkboxes' ? 'checkbox' : 'radio',
              name: id,
              value: option.value,
              checked: initial.has(option.value),
            }),
            ' ',
            el('span', {
              html:
                option.text?.type === 'mrkdwn' ? mrkdwn(option.text.text) : escapeHtml(optionLabel(option)),
            }),
            option.description ? el('span', { class: 'description' }, plain(option.description)) : null,
          ),
        );
      }
      break;
    }
    default:
      field = unsupported('input', element.type);
  }
  return el(
    'div',
    { class: `input-block${error ? ' has-error' : ''}`, 'data-input-block': block.block_id },
    el(
      'label',
      { for: id },
      plain(block.label),
      block.optional ? el('span', { class: 'optional' }, ' (optional)') : null,
    ),
    field,
    block.hint ? el('div', { class: 'hint' }, plain(block.hint)) : null,
    error
      ? el('div', { class: 'field-error', testid: 'field-error', 'data-block-id': block.block_id }, error)
      : null,
  );
}

/** block_id → action_id → value, as /api/submit (and the driver) take them. */
export function collectValues(root) {
  const values = {};
  for (const field of root.querySelectorAll('[data-block-id][data-action-id][data-type]')) {
    const { blockId, actionId, type } = field.dataset;
    let value;
    if (type === 'checkboxes') {
      value = [...field.querySelectorAll('input:checked')].map((input) => input.value);
    } else if (type === 'radio_buttons') {
      value = field.querySelector('input:checked')?.value ?? null;
    } else if (field.multiple) {
      value = [...field.selectedOptions].map((option) => option.value);
    } else {
      value = field.value === '' ? null : field.value;
    }
    values[blockId] = { ...values[blockId], [actionId]: value };
  }
  return values;
}

export function restoreValues(root, values) {
  for (const field of root.querySelectorAll('[data-block-id][data-action-id][data-type]')) {
    const { blockId, actionId, type } = field.dataset;
    if (!values[blockId] || !Object.hasOwn(values[blockId], actionId)) continue;
    const value = values[blockId][actionId];
    if (type === 'checkboxes' || type === 'radio_buttons') {
      const chosen = new Set([value].flat().filter((v) => v !== null));
      for (const input of field.querySelectorAll('input')) input.checked = chosen.has(input.value);
    } else if (field.multiple) {
      const chosen = new Set(value ?? []);
      for (const option of field.options) option.selected = chosen.has(option.value);
    } else {
      field.value = value ?? '';
    }
  }
}

export function isEmptyValue(value) {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0);
}
