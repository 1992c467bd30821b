/** Slack drops an answer after 3 s; we keep a margin for the network. */
export const ACK_DEADLINE_MS = 2200;

export type Raced<T> = { done: true; value: T } | { done: false; pending: Promise<T> };

/**
 * Waits for `work` up to `ms`. If it is slower, the caller acks now and reports the result later;
 * the work itself is not abandoned.
 */
export async function raceDeadline<T>(work: Promise<T>, ms = ACK_DEADLINE_MS): Promise<Raced<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(resolve, ms, 'timeout');
  });
  try {
    const winner = await Promise.race([work.then((value) => ({ value })), timeout]);
    return winner === 'timeout' ? { done: false, pending: work } : { done: true, value: winner.value };
  } finally {
    clearTimeout(timer);
  }
}
