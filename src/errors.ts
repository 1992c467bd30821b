/**
 * One vocabulary of failures. `userMessage` is what a Slack user may read; `message` is for logs.
 */
export type ErrorCode =
  | 'config_invalid'
  | 'command_invalid'
  | 'form_invalid'
  | 'not_found'
  | 'forbidden'
  | 'conflict'
  | 'database_unavailable'
  | 'queue_unavailable'
  | 'slack_failed'
  | 'internal';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string | undefined;

  constructor(code: ErrorCode, message: string, options: { userMessage?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.userMessage = options.userMessage;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** A short reference a user can quote to an operator, which is also logged beside the error. */
export function errorReference(): string {
  return Math.random().toString(36).slice(2, 8).toUpperCase();
}
