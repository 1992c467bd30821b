import type { Metrics } from '../http/metrics.js';

/**
 * The fetch every Slack client (Bolt's and ours) uses: counts Web API calls by method and outcome.
 * It reads a clone of the body, so the client still gets the original.
 */
export function createMeteredFetch(metrics: Metrics, base: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = /\/api\/([a-zA-Z.]+)$/.exec(new URL(url).pathname)?.[1];
    if (!method) return base(input, init);
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
