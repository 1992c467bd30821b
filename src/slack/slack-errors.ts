/**
 * How the bot treats each Slack failure (research/slack-platform.md §2): transient ones are
 * retried by the job queue; the rest are handled where they occur (tolerated or reported).
 */
const TRANSIENT_PLATFORM_ERRORS = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

const CLIENT_ERROR_CODES = new Set([
  'slack_webapi_request_error',
  'slack_webapi_http_error',
  'slack_webapi_rate_limited_error',
]);

/** The `error` of an `ok:false` reply, or null for anything else. */
export function slackErrorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { code?: string; data?: { error?: unknown } };
  if (e.code === 'slack_webapi_platform_error' && typeof e.data?.error === 'string') return e.data.error;
  return null;
}

/** Network failures, 5xx, 429 and Slack's own "try again later" codes: worth retrying. */
export function isTransientSlackError(error: unknown): boolean {
  const platform = slackErrorCode(error);
  if (platform !== null) return TRANSIENT_PLATFORM_ERRORS.has(platform);
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: string }).code;
    if (code && CLIENT_ERROR_CODES.has(code)) return true;
  }
  // A 429 without a usable Retry-After surfaces as a plain Error; fetch failures as TypeError.
  return (
    error instanceof Error &&
    /rate.?limit|retry-after|fetch failed|ECONNREFUSED|ECONNRESET/i.test(error.message)
  );
}

/** A short description for humans: the Slack code, or the error message. */
export function describeSlackError(error: unknown): string {
  return slackErrorCode(error) ?? (error instanceof Error ? error.message : String(error));
}

/** Calls Slack and turns the listed `ok:false` codes into `null` instead of an error. */
export async function tolerate<T>(codes: readonly string[], call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    const code = slackErrorCode(error);
    if (code !== null && codes.includes(code)) return null;
    throw error;
  }
}
