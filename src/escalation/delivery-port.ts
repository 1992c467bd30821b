import type { Severity } from '../incidents/incident-types.js';
import type { Channel } from './people.js';

/**
 * What a page says on every non-Slack channel; `ackUrl` is the signed acknowledge-from-anywhere link.
 * A test notification (`/incident oncall me`) has no page and nothing to acknowledge: both are null.
 */
export interface PageMessage {
  pageId: number | null;
  severity: Severity;
  /** One line: "SEV1 #42 Checkout is down". */
  title: string;
  /** A few lines of plain text. */
  body: string;
  ackUrl: string | null;
}

/**
 * What one attempt at a provider came back with: a receipt (message id, call sid) or a failure,
 * classified so the caller knows whether trying again can help (5xx, 429, a dropped connection) or
 * not (an invalid number, an unsubscribed phone, a rejected address).
 */
export type SendOutcome = { ok: true; receipt: string } | { ok: false; retryable: boolean; error: string };

/** One delivery channel (Grafana OnCall's `notify_user`): it only sends; the domain decides when. */
export interface ChannelSender {
  readonly channel: Exclude<Channel, 'slack'>;
  /** `target` is the phone number, push topic or email address of the person. */
  send(target: string, message: PageMessage): Promise<SendOutcome>;
}

export interface RetryOptions {
  /** Attempts in all, the first included (default 3). */
  attempts?: number;
  /** Wait before the second attempt; doubled each time (default 1 s). */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Sends, trying again with exponential backoff only while the failure is retryable. */
export async function sendWithRetry(
  sender: ChannelSender,
  target: string,
  message: PageMessage,
  options: RetryOptions = {},
): Promise<SendOutcome & { attempts: number }> {
  const { attempts = 3, backoffMs = 1000 } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let attempt = 0;
  for (;;) {
    attempt++;
    const outcome = await sender.send(target, message);
    if (outcome.ok || !outcome.retryable || attempt >= attempts) return { ...outcome, attempts: attempt };
    await sleep(backoffMs * 2 ** (attempt - 1));
  }
}
