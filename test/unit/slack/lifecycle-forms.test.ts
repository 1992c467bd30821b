import { describe, expect, it } from 'vitest';
import {
  parseCloseForm,
  parseLifecycleMetadata,
  parseRoleForm,
  parseSeverityForm,
  parseStatusForm,
  parseUpdateForm,
} from '../../../src/slack/forms/lifecycle-forms.js';

const current = { status: 'investigating', severity: 'SEV3' } as const;
const select = (block: string, action: string, value: string | null) => ({
  [block]: { [action]: { type: 'static_select', selected_option: value === null ? null : { value } } },
});
const input = (block: string, action: string, value: string | null) => ({
  [block]: { [action]: { type: 'plain_text_input', value } },
});

describe('lifecycle modal forms', () => {
  it('read the incident from private_metadata, and nothing from anything else', () => {
    expect(parseLifecycleMetadata('{"incidentId":41}')).toEqual({ incidentId: 41 });
    for (const bad of [
      undefined,
      '',
      'not json',
      '{"incidentId":0}',
      '{"incidentId":"41"}',
      '{}',
      '{"incidentId":1.5}',
    ])
      expect(parseLifecycleMetadata(bad)).toBeNull();
  });

  it('update: trimmed text, or an error under its block', () => {
    expect(parseUpdateForm(input('update', 'update-text', '  Mitigated  '))).toEqual({
      ok: true,
      value: { text: 'Mitigated' },
    });
    for (const value of ['   ', null, ''])
      expect(parseUpdateForm(input('update', 'update-text', value))).toEqual({
        ok: false,
        errors: { update: 'Write what changed and what happens next.' },
      });
    expect(parseUpdateForm(input('update', 'update-text', 'x'.repeat(3001)))).toEqual({
      ok: false,
      errors: { update: 'Keep it to 3000 characters.' },
    });
    expect(parseUpdateForm(input('update', 'update-text', 'x'.repeat(3000))).ok).toBe(true);
    expect(parseUpdateForm('garbage')).toEqual({
      ok: false,
      errors: { update: 'The form could not be read; please reopen it.' },
    });
  });

  it('status: one of the lifecycle statuses, not the current one', () => {
    expect(parseStatusForm(select('status', 'status-select', 'monitoring'), current)).toEqual({
      ok: true,
      value: { status: 'monitoring' },
    });
    expect(parseStatusForm(select('status', 'status-select', 'investigating'), current)).toEqual({
      ok: false,
      errors: { status: 'The incident is already investigating.' },
    });
    for (const value of ['closed', 'garbage', null])
      expect(parseStatusForm(select('status', 'status-select', value), current)).toEqual({
        ok: false,
        errors: { status: 'Choose a status.' },
      });
    expect(parseStatusForm(null, current)).toEqual({
      ok: false,
      errors: { status: 'The form could not be read; please reopen it.' },
    });
  });

  it('severity: one of the severities, not the current one', () => {
    expect(parseSeverityForm(select('severity', 'severity-select-change', 'SEV1'), current)).toEqual({
      ok: true,
      value: { severity: 'SEV1' },
    });
    expect(parseSeverityForm(select('severity', 'severity-select-change', 'SEV3'), current)).toEqual({
      ok: false,
      errors: { severity: 'The incident is already SEV3.' },
    });
    expect(parseSeverityForm(select('severity', 'severity-select-change', 'SEV9'), current)).toEqual({
      ok: false,
      errors: { severity: 'Choose a severity.' },
    });
    expect(parseSeverityForm(42, current)).toEqual({
      ok: false,
      errors: { severity: 'The form could not be read; please reopen it.' },
    });
  });

  it('role: a role and a person, each error under its own block', () => {
    const person = (id: string | null) => ({
      person: { 'role-user': { type: 'users_select', selected_user: id } },
    });
    expect(parseRoleForm({ ...select('role', 'role-select', 'comms'), ...person('U012ABCDEF') })).toEqual({
      ok: true,
      value: { role: 'comms', userId: 'U012ABCDEF' },
    });
    expect(parseRoleForm({ ...select('role', 'role-select', 'janitor'), ...person(null) })).toEqual({
      ok: false,
      errors: { role: 'Choose a role.', person: 'Choose a person.' },
    });
    expect(parseRoleForm({ ...select('role', 'role-select', 'scribe'), ...person('not-a-user') })).toEqual({
      ok: false,
      errors: { person: 'Choose a person.' },
    });
    expect(parseRoleForm([])).toEqual({
      ok: false,
      errors: { role: 'The form could not be read; please reopen it.' },
    });
  });

  it('close: every field optional, blanks become null, each capped', () => {
    const values = {
      ...input('resolution', 'resolution', '  Rolled back '),
      ...input('rootCause', 'rootCause', '   '),
      ...input('lessons', 'lessons', null),
    };
    expect(parseCloseForm(values)).toEqual({
      ok: true,
      value: {
        resolution: 'Rolled back',
        rootCause: null,
        usersAffected: null,
        requestsImpacted: null,
        revenueImpact: null,
        wentWell: null,
        wentWrong: null,
        lessons: null,
      },
    });
    expect(
      parseCloseForm({
        ...input('wentWell', 'wentWell', 'w'.repeat(3001)),
        ...input('lessons', 'lessons', 'l'.repeat(3001)),
      }),
    ).toEqual({
      ok: false,
      errors: { wentWell: 'Keep it to 3000 characters.', lessons: 'Keep it to 3000 characters.' },
    });
    expect(parseCloseForm('x')).toEqual({
      ok: false,
      errors: { resolution: 'The form could not be read; please reopen it.' },
    });
  });
});
