import { insideTransaction } from '../db/transaction-scope.js';
import type { Metrics } from '../http/metrics.js';

/** A Slack call was made while a database transaction was open (a bug: see db/transaction-scope.ts). */
export class SlackCallInTransactionError extends Error {
  constructor(readonly method: string) {
    super(
      `Slack ${method} was called while a database transaction was open; write an outbox effect and call Slack after commit`,
    );
    this.name = 'SlackCallInTransactionError';
  }
}

/**
 * The fetch every Slack client (Bolt's and ours) uses: counts Web API calls by method and outcome.
 * It reads a clone of the body, so the client still gets the original. A call made inside a database
 * transaction is counted (`incident_bot_slack_calls_in_transaction_total`) and handed to
 * `inTransaction`, which logs it, or throws to refuse it (tests).
 */
export function createMeteredFetch(
  metrics: Metrics,
  base: typeof fetch = globalThis.fetch,
  inTransaction: (error: SlackCallInTransactionError) => void = () => {},
): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = /\/api\/([a-zA-Z.]+)$/.exec(new URL(url).pathname)?.[1];
    if (!method) return base(input, init);
    if (insideTransaction()) {
      metrics.slackCallsInTransaction.inc({ method });
      inTransaction(new SlackCallInTransactionError(method));
    }
    let response: Response;
    try {
      response = await base(input, init);
    } catch (error) {
      metrics.slackCalls.inc({ method, outcome: 'network_error' });
      throw error;
    }
    if (response.status === 429) metrics.slackCalls.inc({ method, outcome: 'rate_limited' });
    else if (response.status >= 500) metrics.slackCalls.inc({ method, outcome: 'http_5xx' });
    else {
      const body = (await response
        .clone()
        .json()
        .catch(() => null)) as { ok?: boolean; error?: string } | null;
      const outcome = body?.ok ? 'ok' : (body?.error ?? `http_${response.status}`);
      metrics.slackCalls.inc({ method, outcome: outcome.slice(0, 60) });
    }
    return response;
  };
}
