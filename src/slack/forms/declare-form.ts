import { z } from 'zod';
import { SEVERITIES, type Severity } from '../../incidents/incident-types.js';
import { MAX_TITLE_LENGTH } from '../commands/parse-command.js';
import { ActionId, BlockId } from '../ids.js';
import { type FormResult, readState, safeJson } from './form-state.js';

export type { FormResult } from './form-state.js';

export interface DeclareForm {
  title: string;
  severity: Severity;
  summary: string | null;
  service: string | null;
  commanderId: string;
  isPrivate: boolean;
  originChannelId: string | null;
  /** The alert group it is declared from (the alert page's Declare button), else null. */
  alertGroupId: number | null;
}

const metadataSchema = z
  .object({
    originChannelId: z.string().nullable(),
    alertGroupId: z.number().int().positive().nullable().default(null),
  })
  .catch({ originChannelId: null, alertGroupId: null });

/** Parses the declare modal; every problem becomes an error under its own field. */
export function parseDeclareForm(
  values: unknown,
  privateMetadata: string | undefined,
): FormResult<DeclareForm> {
  const get = readState(values);
  if (!get)
    return { ok: false, errors: { [BlockId.declareTitle]: 'The form could not be read; please reopen it.' } };
  const errors: Record<string, string> = {};

  const title = (get(BlockId.declareTitle, ActionId.declareTitle)?.value ?? '').trim().replace(/\s+/g, ' ');
  if (title === '') errors[BlockId.declareTitle] = 'Give the incident a title.';
  else if ([...title].length > MAX_TITLE_LENGTH)
    errors[BlockId.declareTitle] = `Keep the title to ${MAX_TITLE_LENGTH} characters.`;

  const severityValue = get(BlockId.declareSeverity, ActionId.declareSeverity)?.selected_option?.value;
  const severity = SEVERITIES.find((s) => s === severityValue);
  if (!severity) errors[BlockId.declareSeverity] = 'Choose a severity.';

  const summary = (get(BlockId.declareSummary, ActionId.declareSummary)?.value ?? '').trim() || null;
  if (summary && summary.length > 3000)
    errors[BlockId.declareSummary] = 'Keep the summary to 3000 characters.';

  const serviceRaw = (get(BlockId.declareService, ActionId.declareService)?.value ?? '').trim();
  const service = serviceRaw === '' ? null : serviceRaw.toLowerCase();
  if (service !== null && !/^[a-z0-9][a-z0-9_.-]{0,62}$/.test(service)) {
    errors[BlockId.declareService] =
      'Use the service name: letters, digits, "-", "_" or ".", like checkout-api.';
  }

  const commanderId = get(BlockId.declareCommander, ActionId.declareCommander)?.selected_user ?? null;
  if (!commanderId) errors[BlockId.declareCommander] = 'Choose who commands the incident (it can be you).';

  const isPrivate = (get(BlockId.declarePrivate, ActionId.declarePrivate)?.selected_options ?? []).some(
    (o) => o.value === 'private',
  );

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const metadata = metadataSchema.parse(safeJson(privateMetadata));
  return {
    ok: true,
    value: {
      title,
      severity: severity!,
      summary,
      service,
      commanderId: commanderId!,
      isPrivate,
      originChannelId: metadata.originChannelId,
      alertGroupId: metadata.alertGroupId,
    },
  };
}
