import type { ChannelSender, PageMessage } from '../escalation/delivery-port.js';
import { fetchOutcome, isRetryableStatus } from './http-outcome.js';

/** HTTP headers carry ASCII; other text goes as an RFC 2047 encoded word, which ntfy decodes. */
export function headerText(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`;
}

const PRIORITY = { SEV1: 'urgent', SEV2: 'high', SEV3: 'default', SEV4: 'low' } as const;

/**
 * Push through an ntfy-compatible server: `POST <PUSH_URL>/<topic>` with the page as the body and
 * `Title`, `Priority`, `Click` (the ack link) and an `Actions` button opening the same link. A plain
 * webhook receiver gets the same request.
 */
export function createPushSender(pushUrl: string): ChannelSender {
  return {
    channel: 'push',
    send: (topic: string, message: PageMessage) =>
      fetchOutcome(
        () =>
          fetch(`${pushUrl.replace(/\/$/, '')}/${encodeURIComponent(topic)}`, {
            method: 'POST',
            headers: {
              title: headerText(message.title),
              priority: PRIORITY[message.severity],
              ...(message.ackUrl === null
                ? {}
                : { click: message.ackUrl, actions: `view, Acknowledge, ${message.ackUrl}` }),
              'content-type': 'text/plain; charset=utf-8',
            },
            body: message.body,
            signal: AbortSignal.timeout(15_000),
          }),
        async (response) => {
          const body = (await response.json().catch(() => ({}))) as { id?: string };
          if (response.ok)
            return { ok: true, receipt: typeof body.id === 'string' ? body.id : `HTTP ${response.status}` };
          return {
            ok: false,
            retryable: isRetryableStatus(response.status),
            error: `push server answered HTTP ${response.status}`,
          };
        },
      ),
  };
}
