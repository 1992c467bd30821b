import { errorReference, isAppError } from '../../errors.js';
import type { Logger } from '../../logger.js';

/**
 * What a user sees when a listener fails: the AppError's own message, or a short reference that
 * is also logged beside the stack, never a trace.
 */
export function userFacingError(error: unknown, logger: Logger, context: Record<string, unknown>): string {
  if (isAppError(error) && error.userMessage) {
    logger.warn({ ...context, code: error.code, err: error.message }, 'request refused');
    return error.userMessage;
  }
  const ref = errorReference();
  logger.error({ ...context, err: error, ref }, 'listener failed');
  return `:warning: Something went wrong on our side (reference \`${ref}\`). Nothing was lost; please try again, and quote the reference to your admin if it keeps happening.`;
}
