import { z } from 'zod';
import {
  INCIDENT_ROLES,
  type Incident,
  type IncidentRole,
  LIFECYCLE_STATUSES,
  type LifecycleStatus,
  SEVERITIES,
  type Severity,
} from '../../incidents/incident-types.js';
import type { PostmortemNarrative } from '../../postmortem/postmortem-draft.js';
import { ActionId, BlockId } from '../ids.js';
import { CLOSE_FIELDS, type LifecycleModalMetadata } from '../views/lifecycle-modals.js';
import { type FormResult, readState, safeJson } from './form-state.js';

/** Slack's own limit on a plain-text input, checked again here: a crafted submission can exceed it. */
export const MAX_FIELD_LENGTH = 3000;

const metadataSchema = z.object({ incidentId: z.number().int().positive() });

/** The incident a lifecycle modal acts on, from its `private_metadata`; null when unreadable. */
export function parseLifecycleMetadata(privateMetadata: string | undefined): LifecycleModalMetadata | null {
  const parsed = metadataSchema.safeParse(safeJson(privateMetadata));
  return parsed.success ? parsed.data : null;
}

type Current = Pick<Incident, 'status' | 'severity'>;

/** Each field is read by one zod schema; its first issue becomes the field's error under its block id. */
function field<T>(
  schema: z.ZodType<T>,
  raw: unknown,
  block: string,
  errors: Record<string, string>,
): T | undefined {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  errors[block] = parsed.error.issues[0]?.message ?? 'Check this field.';
  return undefined;
}

const unreadable = (block: string) => ({
  ok: false as const,
  errors: { [block]: 'The form could not be read; please reopen it.' },
});

const text = (empty: string, max = MAX_FIELD_LENGTH) =>
  z
    .string({ error: empty })
    .trim()
    .min(1, { error: empty })
    .max(max, { error: `Keep it to ${max} characters.` });

const choice = <T extends string>(values: readonly [T, ...T[]], message: string) =>
  z.enum(values, { error: message });

export function parseUpdateForm(values: unknown): FormResult<{ text: string }> {
  const get = readState(values);
  if (!get) return unreadable(BlockId.updateText);
  const errors: Record<string, string> = {};
  const value = field(
    text('Write what changed and what happens next.'),
    get(BlockId.updateText, ActionId.updateText)?.value ?? '',
    BlockId.updateText,
    errors,
  );
  return value === undefined ? { ok: false, errors } : { ok: true, value: { text: value } };
}

export function parseStatusForm(values: unknown, current: Current): FormResult<{ status: LifecycleStatus }> {
  const get = readState(values);
  if (!get) return unreadable(BlockId.statusSelect);
  const errors: Record<string, string> = {};
  const status = field(
    choice(LIFECYCLE_STATUSES, 'Choose a status.').refine((s) => s !== current.status, {
      error: `The incident is already ${current.status}.`,
    }),
    get(BlockId.statusSelect, ActionId.statusSelect)?.selected_option?.value,
    BlockId.statusSelect,
    errors,
  );
  return status === undefined ? { ok: false, errors } : { ok: true, value: { status } };
}

export function parseSeverityForm(values: unknown, current: Current): FormResult<{ severity: Severity }> {
  const get = readState(values);
  if (!get) return unreadable(BlockId.severitySelect);
  const errors: Record<string, string> = {};
  const severity = field(
    choice(SEVERITIES, 'Choose a severity.').refine((s) => s !== current.severity, {
      error: `The incident is already ${current.severity}.`,
    }),
    get(BlockId.severitySelect, ActionId.severitySelect)?.selected_option?.value,
    BlockId.severitySelect,
    errors,
  );
  return severity === undefined ? { ok: false, errors } : { ok: true, value: { severity } };
}

export function parseRoleForm(values: unknown): FormResult<{ role: IncidentRole; userId: string }> {
  const get = readState(values);
  if (!get) return unreadable(BlockId.roleSelect);
  const errors: Record<string, string> = {};
  const role = field(
    choice(INCIDENT_ROLES, 'Choose a role.'),
    get(BlockId.roleSelect, ActionId.roleSelect)?.selected_option?.value,
    BlockId.roleSelect,
    errors,
  );
  const userId = field(
    z.string({ error: 'Choose a person.' }).regex(/^[UW][A-Z0-9]{2,}$/, { error: 'Choose a person.' }),
    get(BlockId.roleUser, ActionId.roleUser)?.selected_user ?? undefined,
    BlockId.roleUser,
    errors,
  );
  if (role === undefined || userId === undefined) return { ok: false, errors };
  return { ok: true, value: { role, userId } };
}

export type CloseForm = Partial<PostmortemNarrative>;

/** Every close field is optional: an empty one is null, and the draft says the section has no data. */
export function parseCloseForm(values: unknown): FormResult<CloseForm> {
  const get = readState(values);
  if (!get) return unreadable(CLOSE_FIELDS[0][0]);
  const errors: Record<string, string> = {};
  const narrative: CloseForm = {};
  const optionalText = z
    .string()
    .trim()
    .max(MAX_FIELD_LENGTH, { error: `Keep it to ${MAX_FIELD_LENGTH} characters.` })
    .transform((s) => (s === '' ? null : s));
  for (const [id] of CLOSE_FIELDS) {
    const value = field(optionalText, get(id, id)?.value ?? '', id, errors);
    if (value !== undefined) narrative[id] = value;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: narrative };
}
