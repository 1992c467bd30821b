import type { SendOutcome } from '../escalation/delivery-port.js';

/** 5xx, 429 and network failures may pass on a later try; any other 4xx will not. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/** A request that never got an answer (refused, reset, timed out) is worth trying again. */
export async function fetchOutcome(
  request: () => Promise<Response>,
  onResponse: (response: Response) => Promise<SendOutcome>,
): Promise<SendOutcome> {
  let response: Response;
  try {
    response = await request();
  } catch (error) {
    return { ok: false, retryable: true, error: `unreachable: ${(error as Error).message}` };
  }
  return onResponse(response);
}
