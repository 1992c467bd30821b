/**
 * A Web API failure as Slack reports it: HTTP 200 with `{ ok: false, error }`. Method handlers throw it so
 * that a failed call never leaves half-applied state behind (handlers validate before they mutate).
 */
export class SlackApiError extends Error {
  readonly code: string;
  readonly extra: Record<string, unknown>;

  constructor(code: string, extra: Record<string, unknown> = {}) {
    super(code);
    this.name = 'SlackApiError';
    this.code = code;
    this.extra = extra;
  }
}

/** Slack's schema failures carry `[ERROR] …` lines in `response_metadata.messages`. */
export function invalidArguments(message: string): SlackApiError {
  return new SlackApiError('invalid_arguments', { response_metadata: { messages: [`[ERROR] ${message}`] } });
}
