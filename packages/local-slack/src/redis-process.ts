import { type ChildProcess, spawn } from 'node:child_process';

export interface RedisProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  /** SIGTERM, then waits for it to end (at once if it has ended already). */
  stop(): Promise<void>;
}

/**
 * Runs `redis-server` on 127.0.0.1:`port` with its data in `dir` and the policy BullMQ needs
 * (noeviction), plus `args`; resolves once it accepts connections, rejects with its output if it
 * exits, cannot be run, or is not ready within 30 s (it takes milliseconds; a busy machine may be slow).
 */
export async function spawnRedisServer(options: {
  port: number;
  dir: string;
  args?: string[];
}): Promise<RedisProcess> {
  const { port, dir } = options;
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--maxmemory-policy',
      'noeviction',
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  await new Promise<void>((ready, fail) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`redis-server was not ready within 30 s: ${output.trim() || '(no output)'}`));
    }, 30_000);
    const settle = (error?: Error) => {
      clearTimeout(timer);
      if (error) fail(error);
      else ready();
    };
    child.once('error', (error) =>
      settle(new Error(`could not run redis-server (is it installed?): ${error.message}`)),
    );
    child.once('exit', () => settle(new Error(`redis-server exited:\n${output}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) settle();
    });
  });
  return {
    child,
    pid: child.pid!,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
