import type { Clock } from '../clock.js';
import { type Pool, type PoolClient, withTransaction } from '../db/pool.js';
import { isThrottled, THROTTLE_WINDOW_MS } from '../notify/throttle.js';
import {
  claimDelivery,
  type Delivery,
  type DeliveryStatus,
  findDelivery,
  finishDelivery,
  isPageOpen,
  listSentSince,
  releaseDelivery,
} from './deliveries-repo.js';
import { type ChannelSender, type PageMessage, type RetryOptions, sendWithRetry } from './delivery-port.js';
import type { Channel } from './people.js';

/** Why a step was skipped when its page was acknowledged or resolved before it was due. */
export const PAGE_CLOSED = 'page no longer open';

/** A worker that claimed a delivery and went silent this long is presumed dead; another may send it. */
export const CLAIM_LEASE_MS = 2 * 60_000;

export interface DeliverOneDeps {
  pool: Pool;
  clock: Clock;
  /** The configured channels (Slack DMs go through the existing page sender, not here). */
  senders: Partial<Record<Exclude<Channel, 'slack'>, ChannelSender>>;
  /** The page as every non-Slack channel says it, with its signed ack link. */
  compose(pageId: number): Promise<PageMessage>;
  retry?: RetryOptions;
  /** Why a due step is held back now (quiet hours), or null to send it. */
  holdBack?(delivery: Delivery, now: Date): Promise<string | null>;
  /**
   * What a finished step means beyond its row (the timeline, a line in the channel), written in the
   * transaction that records the outcome, once: a repeat that finds the row finished writes nothing.
   */
  recordOutcome?(tx: PoolClient, delivery: Delivery): Promise<AfterCommit | undefined>;
}

/** Runs once the outcome's transaction committed (hands its outbox rows to the queue); never throws. */
export type AfterCommit = () => Promise<void>;

export type DeliverResult = { status: DeliveryStatus; delivery: Delivery | null; sentNow: boolean };

/**
 * Delivers one planned step, idempotently: a step already finished, or being sent by another worker,
 * is left alone; a page acknowledged meanwhile skips it; a contact over its throttle is recorded as
 * throttled (the next rule continues). The adapter only sends; the outcome is recorded here.
 */
export function createDeliverOne(deps: DeliverOneDeps) {
  const { pool, clock } = deps;

  /** What to do with a claimed step before any provider is called: send it (and what), or why not. */
  async function prepare(
    claimed: Delivery,
    now: Date,
  ): Promise<
    | { status: 'skipped' | 'failed' | 'throttled'; error: string }
    | { sender: ChannelSender; message: PageMessage }
  > {
    if (!(await isPageOpen(pool, claimed.pageId))) return { status: 'skipped', error: PAGE_CLOSED };
    const sender = claimed.channel === 'slack' ? undefined : deps.senders[claimed.channel];
    if (!sender) return { status: 'failed', error: `${claimed.channel} is not configured` };
    const held = await deps.holdBack?.(claimed, now);
    if (held) return { status: 'skipped', error: held };
    const recent = await listSentSince(
      pool,
      claimed.channel,
      claimed.target,
      new Date(now.getTime() - THROTTLE_WINDOW_MS),
    );
    if (isThrottled(claimed.channel, recent, now)) {
      return { status: 'throttled', error: `over the ${claimed.channel} limit for ${claimed.target}` };
    }
    return { sender, message: await deps.compose(claimed.pageId) };
  }

  return async function deliverOne(deliveryId: number): Promise<DeliverResult> {
    const now = clock.now();
    const claimed = await claimDelivery(pool, deliveryId, now, new Date(now.getTime() - CLAIM_LEASE_MS));
    if (!claimed) {
      const current = await findDelivery(pool, deliveryId);
      return { status: current?.status ?? 'skipped', delivery: current, sentNow: false };
    }
    const finish = async (outcome: Parameters<typeof finishDelivery>[2]): Promise<DeliverResult> => {
      const { recordOutcome } = deps;
      if (recordOutcome) {
        const after = await withTransaction(pool, async (tx) => {
          if (!(await finishDelivery(tx, deliveryId, outcome))) return undefined;
          return recordOutcome(tx, (await findDelivery(tx, deliveryId))!);
        });
        await after?.();
      } else {
        await finishDelivery(pool, deliveryId, outcome);
      }
      return {
        status: outcome.status,
        delivery: await findDelivery(pool, deliveryId),
        sentNow: outcome.status === 'sent',
      };
    };
    let ready: Awaited<ReturnType<typeof prepare>>;
    try {
      ready = await prepare(claimed, now);
    } catch (error) {
      // Nothing was sent: the next try (the job's retry) may take the step at once.
      await releaseDelivery(pool, deliveryId).catch(() => undefined);
      throw error;
    }
    if ('status' in ready) return finish({ ...ready, attempts: 0, at: now });
    const { sender, message } = ready;
    const outcome = await sendWithRetry(sender, claimed.target, message, deps.retry);
    return finish(
      outcome.ok
        ? { status: 'sent', receipt: outcome.receipt, attempts: outcome.attempts, at: clock.now() }
        : { status: 'failed', error: outcome.error, attempts: outcome.attempts, at: clock.now() },
    );
  };
}
