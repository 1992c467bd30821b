import type { Queryable } from '../db/pool.js';
import type { PostmortemNarrative } from './postmortem-draft.js';

export async function findNarrative(db: Queryable, incidentId: number): Promise<PostmortemNarrative> {
  const { rows } = await db.query<Record<string, string | null>>(
    `SELECT resolution, root_cause, users_affected, requests_impacted, revenue_impact, went_well, went_wrong,
       lessons, prevention FROM incidents WHERE id = $1`,
    [incidentId],
  );
  const r = rows[0] ?? {};
  return {
    resolution: r.resolution ?? null,
    rootCause: r.root_cause ?? null,
    usersAffected: r.users_affected ?? null,
    requestsImpacted: r.requests_impacted ?? null,
    revenueImpact: r.revenue_impact ?? null,
    wentWell: r.went_well ?? null,
    wentWrong: r.went_wrong ?? null,
    lessons: r.lessons ?? null,
    prevention: r.prevention ?? null,
  };
}

/** Stores the fields given (others are left as they were). */
export async function updateNarrative(
  db: Queryable,
  incidentId: number,
  narrative: Partial<PostmortemNarrative>,
): Promise<void> {
  const columns: Record<keyof PostmortemNarrative, string> = {
    resolution: 'resolution',
    rootCause: 'root_cause',
    usersAffected: 'users_affected',
    requestsImpacted: 'requests_impacted',
    revenueImpact: 'revenue_impact',
    wentWell: 'went_well',
    wentWrong: 'went_wrong',
    lessons: 'lessons',
    prevention: 'prevention',
  };
  const entries = Object.entries(narrative).filter(([, v]) => v !== undefined && v !== null) as [
    keyof PostmortemNarrative,
    string,
  ][];
  if (entries.length === 0) return;
  const sets = entries.map(([key], i) => `${columns[key]} = $${i + 2}`);
  await db.query(`UPDATE incidents SET ${sets.join(', ')} WHERE id = $1`, [
    incidentId,
    ...entries.map(([, v]) => v),
  ]);
}

export interface StoredPostmortem {
  id: number;
  incidentId: number;
  markdown: string;
  generatedAt: Date;
  slackFileId: string | null;
}

export async function insertPostmortem(
  db: Queryable,
  input: { incidentId: number; markdown: string; generatedBy: string | null },
): Promise<StoredPostmortem> {
  const { rows } = await db.query<{ id: number; generated_at: Date }>(
    'INSERT INTO postmortems (incident_id, markdown, generated_by) VALUES ($1, $2, $3) RETURNING id, generated_at',
    [input.incidentId, input.markdown, input.generatedBy],
  );
  return {
    id: rows[0]!.id,
    incidentId: input.incidentId,
    markdown: input.markdown,
    generatedAt: rows[0]!.generated_at,
    slackFileId: null,
  };
}

export async function findLatestPostmortem(
  db: Queryable,
  incidentId: number,
): Promise<StoredPostmortem | null> {
  const { rows } = await db.query<{
    id: number;
    incident_id: number;
    markdown: string;
    generated_at: Date;
    slack_file_id: string | null;
  }>(
    `SELECT id, incident_id, markdown, generated_at, slack_file_id FROM postmortems
     WHERE incident_id = $1 ORDER BY id DESC LIMIT 1`,
    [incidentId],
  );
  const r = rows[0];
  return r
    ? {
        id: r.id,
        incidentId: r.incident_id,
        markdown: r.markdown,
        generatedAt: r.generated_at,
        slackFileId: r.slack_file_id,
      }
    : null;
}

export async function recordPostmortemFile(db: Queryable, id: number, fileId: string): Promise<void> {
  await db.query('UPDATE postmortems SET slack_file_id = $2 WHERE id = $1', [id, fileId]);
}
