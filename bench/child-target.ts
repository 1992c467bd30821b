import type { ChildProcess } from 'node:child_process';

/**
 * A benchmark target served by a child process (so it shares no event loop with the load generator).
 * The child says `ready` with its URL or `failed`; the parent asks it to stop (`op: 'stop'`) or goes away.
 */
export type ChildStatus = { type: 'ready'; url: string } | { type: 'failed'; message: string };

/** Parent side: the child's URL once it says ready; rejects if it fails, exits first or takes too long. */
export function childReady(child: ChildProcess, name: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not ready after ${timeoutMs} ms`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    child.once('exit', (code) => fail(new Error(`${name}: exited (${code}) before it was ready`)));
    child.on('message', (message: ChildStatus) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message.url);
      } else if (message.type === 'failed') fail(new Error(`${name} did not start: ${message.message}`));
    });
  });
}

/** Parent side: asks the child to stop (`stopMessage`); kills its pid if it has not exited within `timeoutMs`. */
export async function stopChild(
  child: ChildProcess,
  exited: Promise<unknown>,
  name: string,
  stopMessage: object,
  timeoutMs: number,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (child.connected) child.send(stopMessage, () => {});
  const timer = setTimeout(() => {
    console.error(`${name}: did not exit within ${timeoutMs} ms; killing pid ${child.pid}`);
    child.kill('SIGKILL');
  }, timeoutMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Child side: starts the target and tells the parent (`ready` or `failed`). Returns the shutdown to
 * call when the parent asks (it also runs when the parent goes away), or null if the start failed.
 */
export async function startChildTarget(
  name: string,
  start: () => Promise<{ url: string; stop(): Promise<void> }>,
): Promise<(() => Promise<void>) | null> {
  let target: { url: string; stop(): Promise<void> };
  try {
    target = await start();
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.send?.({ type: 'failed', message } satisfies ChildStatus);
    process.exitCode = 1;
    process.disconnect?.();
    return null;
  }
  let stopping: Promise<void> | null = null;
  const shutdown = () => {
    stopping ??= target
      .stop()
      .catch((error) => console.error(`[${name}] stop failed:`, error))
      .finally(() => {
        process.disconnect?.();
        // Whatever still holds the loop open must not keep the child (or --cpu-prof's write) waiting.
        setTimeout(() => {
          console.error(`[${name}] handles still open 2 s after stop; exiting`);
          process.exit(0);
        }, 2000).unref();
      });
    return stopping;
  };
  process.on('disconnect', () => void shutdown());
  process.send?.({ type: 'ready', url: target.url } satisfies ChildStatus);
  return shutdown;
}
