/**
 * Group commit for independent statements: `run` takes a batch of items and returns one result per
 * item, in order, from a single statement (one round trip, one transaction). While a run is under
 * way, new items wait and go together in the next run (at most `maxBatch`, and at most one per `key`,
 * so one statement never holds two items that touch the same row); an item that arrives when no run
 * is under way is sent at once, so nothing waits when there is no queue. One run at a time makes the
 * batches as large as the load; a further run (up to `maxInFlight`) starts only once the oldest has
 * taken `overlapAfterMs`, so a statement stuck behind a row lock does not hold everything else up.
 * If a run of several items fails with an error `isolate` accepts (by default any), each is tried
 * again alone, so one bad item cannot fail the others; otherwise (say, the database is down) they
 * all fail with it.
 */
export function batched<T, R>(
  run: (items: T[]) => Promise<R[]>,
  options: {
    maxInFlight: number;
    overlapAfterMs: number;
    maxBatch: number;
    key: (item: T) => unknown;
    isolate?: (error: unknown) => boolean;
  },
): (item: T) => Promise<R> {
  interface Waiting {
    item: T;
    resolve: (result: R) => void;
    reject: (error: unknown) => void;
    /** Its batch failed: it is tried again on its own. */
    alone?: boolean;
  }
  let waiting: Waiting[] = [];
  /** Start times of the runs under way, oldest first. */
  const running: number[] = [];
  let wakeUp: NodeJS.Timeout | null = null;

  const send = (batch: Waiting[]) => {
    const startedAt = performance.now();
    running.push(startedAt);
    run(batch.map((w) => w.item))
      .then(
        (results) => {
          for (const [i, w] of batch.entries()) w.resolve(results[i]!);
        },
        (error: unknown) => {
          if (batch.length > 1 && (options.isolate?.(error) ?? true)) {
            waiting.unshift(...batch.map((w) => ({ ...w, alone: true })));
          } else {
            for (const w of batch) w.reject(error);
          }
        },
      )
      .finally(() => {
        running.splice(running.indexOf(startedAt), 1);
        pump();
      });
  };

  /** Whether another run may start now; if only time stands in the way, pump again when it has passed. */
  const mayStart = () => {
    if (running.length === 0) return true;
    if (running.length >= options.maxInFlight) return false;
    const waited = performance.now() - running[0]!;
    if (waited >= options.overlapAfterMs) return true;
    if (!wakeUp) {
      wakeUp = setTimeout(() => {
        wakeUp = null;
        pump();
      }, options.overlapAfterMs - waited);
      wakeUp.unref();
    }
    return false;
  };

  const pump = () => {
    while (waiting.length > 0 && mayStart()) {
      const first = waiting[0]!;
      if (first.alone) {
        waiting.shift();
        send([first]);
        continue;
      }
      const batch: Waiting[] = [];
      const later: Waiting[] = [];
      const keys = new Set<unknown>();
      for (const w of waiting) {
        const key = options.key(w.item);
        if (batch.length < options.maxBatch && !w.alone && !keys.has(key)) {
          keys.add(key);
          batch.push(w);
        } else {
          later.push(w);
        }
      }
      waiting = later;
      send(batch);
    }
  };

  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      pump();
    });
}
