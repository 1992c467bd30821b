import pg from 'pg';

/**
 * Where a target's Postgres sessions spend a round, from Postgres's side: `pg_stat_activity` sampled
 * every `everyMs`, each session of the target counted once per sample as running, waiting (by wait
 * event: a lock, the WAL flush of a commit…), idle in a transaction (waiting for the client, i.e. the
 * target's own process) or idle. Its own connection, so a slow sample never delays the reader.
 */
export interface BackendSampler {
  /** Shares of the non-idle session samples, largest first (`Lock:advisory 0.42`). */
  stop(): Promise<Array<[string, number]>>;
}

export async function sampleBackends(
  databaseUrl: string,
  applicationPrefix: string,
  everyMs = 100,
): Promise<BackendSampler> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-sampler' });
  await client.connect();
  const counts = new Map<string, number>();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await client.query<{ state: string | null; wait: string | null }>(
        `SELECT state, wait_event_type || ':' || wait_event AS wait FROM pg_stat_activity
          WHERE datname = current_database() AND application_name LIKE $1 AND pid <> pg_backend_pid()`,
        [`${applicationPrefix}%`],
      );
      for (const { state, wait } of rows) {
        if (state === 'idle') continue;
        const what =
          state === 'active'
            ? wait && !wait.startsWith('Client:')
              ? `waiting ${wait}`
              : 'running'
            : (state ?? 'unknown');
        counts.set(what, (counts.get(what) ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await client.end();
      const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
      return [...counts]
        .sort((a, b) => b[1] - a[1])
        .map(([what, n]) => [what, n / total] as [string, number]);
    },
  };
}
