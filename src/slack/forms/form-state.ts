import { z } from 'zod';

/** A parsed modal: the value, or one message per `block_id` for `response_action: 'errors'`. */
export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

/** The shape Slack sends in `view.state.values`, narrowed to the elements our modals use. */
export const stateSchema = z.record(
  z.string(),
  z.record(
    z.string(),
    z.looseObject({
      value: z.string().nullish(),
      selected_option: z.object({ value: z.string() }).nullish(),
      selected_user: z.string().nullish(),
      selected_options: z.array(z.object({ value: z.string() })).nullish(),
    }),
  ),
);

export type StateValues = z.infer<typeof stateSchema>;
export type ElementState = StateValues[string][string];

/** Reads `view.state.values`; null when Slack sent something we cannot read. */
export function readState(
  values: unknown,
): ((block: string, action: string) => ElementState | undefined) | null {
  const state = stateSchema.safeParse(values);
  if (!state.success) return null;
  return (block, action) => state.data[block]?.[action];
}

export function safeJson(text: string | undefined): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}
