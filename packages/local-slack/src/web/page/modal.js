import { act, api, bodyText, scheduleRefresh } from './api.js';
import { renderBlocks } from './blocks.js';
import { $, el } from './dom.js';
import { collectValues, FIELD_TYPES_OR_SELECTS, isEmptyValue, restoreValues } from './modal-inputs.js';
import { app } from './page-state.js';

// The open modal (the top of the person's view stack).

let renderedModalKey = null;

/** Draws the next modal afresh even if it looks the same (another person may be acting now). */
export function forgetRenderedModal() {
  renderedModalKey = null;
}

export function renderModal() {
  const root = $('#modal-root');
  const modal = app.data?.modal;
  if (!modal) {
    root.replaceChildren();
    renderedModalKey = null;
    return;
  }
  const key = JSON.stringify([modal, app.user]);
  if (key === renderedModalKey) return;
  const previous = root.querySelector('.modal');
  const keep = previous && previous.dataset.viewId === modal.id ? collectValues(previous) : null;
  renderedModalKey = key;

  const form = el('form', { class: 'modal-body', novalidate: true });
  const errorLine = el('div', { class: 'modal-error', testid: 'modal-error' });
  const ctx = {
    modal: { errors: modal.errors },
    onButton: (element) =>
      act('/api/view-click', {
        user: app.user,
        viewId: modal.id,
        actionId: element.action_id,
        values: collectValues(form),
      }),
  };
  form.append(...renderBlocks(modal.blocks, ctx));
  if (keep) restoreValues(form, keep);

  const cancel = () => act('/api/close-view', { user: app.user, viewId: modal.id });
  const submit = async (event) => {
    event?.preventDefault();
    const values = collectValues(form);
    // Like Slack's client: a required input left empty is flagged here and never sent.
    let missing = false;
    for (const block of modal.blocks) {
      if (block.type !== 'input' || block.optional) continue;
      const value = values[block.block_id]?.[block.element?.action_id];
      const wrapper = form.querySelector(`[data-input-block="${CSS.escape(block.block_id ?? '')}"]`);
      wrapper?.querySelector('.field-error.required')?.remove();
      if (isEmptyValue(value) && block.element && block.element.type in FIELD_TYPES_OR_SELECTS) {
        missing = true;
        wrapper?.append(
          el(
            'div',
            { class: 'field-error required', testid: 'field-error', 'data-block-id': block.block_id },
            'Please complete this required field.',
          ),
        );
      }
    }
    if (missing) return;
    submitButton.disabled = true;
    errorLine.textContent = '';
    const result = await api('/api/submit', { user: app.user, viewId: modal.id, values }).catch((error) => {
      errorLine.textContent = error.message;
      return null;
    });
    submitButton.disabled = false;
    if (result && result.outcome === 'kept_open') {
      errorLine.textContent = `We had some trouble connecting (the bot answered HTTP ${result.status}${bodyText(result.body)}).`;
    }
    scheduleRefresh(0);
  };
  form.addEventListener('submit', submit);

  const submitButton = el(
    'button',
    { type: 'button', class: 'btn primary', testid: 'modal-submit', onclick: submit },
    modal.submit ?? 'Submit',
  );
  const dialog = el(
    'div',
    {
      class: 'modal',
      role: 'dialog',
      'aria-modal': 'true',
      testid: 'modal',
      'data-view-id': modal.id,
      'data-callback-id': modal.callbackId,
    },
    el(
      'div',
      { class: 'modal-header' },
      el('h2', { testid: 'modal-title' }, modal.title),
      el('button', { type: 'button', class: 'modal-close', title: 'Close', onclick: cancel }, '×'),
    ),
    form,
    errorLine,
    el(
      'div',
      { class: 'modal-footer' },
      el(
        'button',
        { type: 'button', class: 'btn', testid: 'modal-cancel', onclick: cancel },
        modal.close ?? 'Cancel',
      ),
      modal.submit ? submitButton : null,
    ),
  );
  root.replaceChildren(el('div', { class: 'modal-backdrop' }, dialog));
  if (!keep) form.querySelector('input, textarea, select')?.focus();
}
