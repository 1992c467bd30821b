import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Knows whether the code running now is inside an open database transaction (`withTransaction`),
 * so an adapter can refuse to wait on Slack there: a transaction held open across a Slack call keeps
 * its row locks and a pool connection for as long as Slack takes (a 429's Retry-After: seconds).
 * Effects go through the outbox and run after commit instead.
 */
const scope = new AsyncLocalStorage<{ open: boolean }>();

/** Runs `fn` marked as inside a transaction until it settles (work it leaves running is not). */
export async function inTransactionScope<T>(fn: () => Promise<T>): Promise<T> {
  const state = { open: true };
  return scope.run(state, async () => {
    try {
      return await fn();
    } finally {
      state.open = false;
    }
  });
}

/** True while a transaction opened by this call chain is open. */
export function insideTransaction(): boolean {
  return scope.getStore()?.open === true;
}
