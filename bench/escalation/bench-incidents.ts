import type pg from 'pg';

/** `count` SEV1 incidents in one statement (numbers taken from the counter as the bot does). */
export async function createIncidents(
  client: pg.Client,
  count: number,
  title = 'bench escalation',
): Promise<number[]> {
  const { rows } = await client.query<{ id: string }>(
    `WITH counter AS (
       UPDATE incident_counter SET last_number = last_number + $1 RETURNING last_number - $1 AS base
     )
     INSERT INTO incidents (number, title, severity, reporter_id, declared_at)
     SELECT counter.base + g, $2 || ' ' || (counter.base + g), 'SEV1', 'U0BENCH000', now()
     FROM counter, generate_series(1, $1::int) AS g
     RETURNING id`,
    [count, title],
  );
  return rows.map((r) => Number(r.id));
}
