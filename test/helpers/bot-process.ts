import { freePort } from './free-port.js';
import { spawnNode } from './spawn-node.js';
import { waitFor } from './wait-for.js';

export interface BotProcess {
  role: string;
  pid: number;
  url: string;
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

/** Runs `src/main.ts <role>` as its own OS process, exactly as `npm start` would, on a free port. */
export async function startBotProcess(
  role: 'web' | 'worker' | 'all',
  env: Record<string, string>,
): Promise<BotProcess> {
  const port = await freePort();
  const {
    child,
    output: printed,
    exited,
  } = spawnNode(['src/main.ts', role], {
    PATH: process.env.PATH ?? '',
    LOG_LEVEL: 'info',
    ...env,
    PORT: String(port),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`bot ${role} exited early:\n${printed()}`);
      return (await fetch(`${url}/healthz`).catch(() => null))?.ok;
    },
    { timeoutMs: 90_000, what: `bot ${role} to serve /healthz` },
  ).catch((error) => {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${printed()}`);
  });
  return {
    role,
    pid: child.pid!,
    url,
    output: printed,
    exited,
    kill: (signal = 'SIGTERM') => child.kill(signal),
  };
}
