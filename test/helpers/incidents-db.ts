import pg from 'pg';
import { waitFor } from './wait-for.js';

/** Direct reads for assertions: what Postgres, the source of truth, holds. */
export async function queryRows<T = Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The incident numbered `number` joined with its Slack presence (headline, announcement, set-up progress). */
export async function incidentRow<T = Record<string, unknown>>(
  url: string,
  number: number,
): Promise<T | undefined> {
  const [row] = await queryRows<T>(
    url,
    'SELECT * FROM incidents LEFT JOIN slack_incident_presence ON incident_id = id WHERE number = $1',
    [number],
  );
  return row;
}

/** Waits until the incident's escalation reaches `state` (e.g. an Acknowledge click, answered at once and handled after, has committed). */
export async function waitForEscalationState(
  url: string,
  incidentId: number,
  state: string,
  options: { timeoutMs: number; what: string },
): Promise<void> {
  await waitFor(async () => {
    const [row] = await queryRows<{ state: string }>(
      url,
      'SELECT state FROM escalations WHERE incident_id = $1',
      [incidentId],
    );
    return row?.state === state;
  }, options);
}
