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
  /** What it was built from (see findDraftSourceVersion); null for drafts stored before versions. */
  sourceVersion: string | null;
}

/** Drafts kept per incident: regenerating stores a new one and deletes the oldest beyond this. */
export const DRAFTS_KEPT = 10;

/**
 * The version of everything a draft is built from: the timeline (its newest event and how many are
 * live, so a removed pin counts), the incident row (narrative, roles, severity) and its alerts'
 * counts and states (absent without alerts, so older versions stay valid). Equal versions
 * build equal drafts.
 */
export async function findDraftSourceVersion(db: Queryable, incidentId: number): Promise<string> {
  const { rows } = await db.query<{ version: string }>(
    `SELECT concat_ws(':',
       (SELECT coalesce(max(id), 0) FROM timeline_events WHERE incident_id = $1),
       (SELECT count(*) FROM timeline_events WHERE incident_id = $1 AND removed_at IS NULL),
       (SELECT md5(i::text) FROM incidents i WHERE i.id = $1),
       (SELECT md5(string_agg(concat_ws('/', a.id, a.count, a.status, a.last_seen_at), ',' ORDER BY a.id))
        FROM alert_groups g JOIN alerts a ON a.alert_group_id = g.id WHERE g.incident_id = $1)) AS version`,
    [incidentId],
  );
  return rows[0]!.version;
}

/** Stores a draft and deletes the incident's drafts beyond the newest DRAFTS_KEPT, in one statement. */
export async function insertPostmortem(
  db: Queryable,
  input: { incidentId: number; markdown: string; generatedBy: string | null; sourceVersion: string },
): Promise<StoredPostmortem> {
  const { rows } = await db.query<{ id: number; generated_at: Date }>(
    `WITH inserted AS (
       INSERT INTO postmortems (incident_id, markdown, generated_by, source_version)
       VALUES ($1, $2, $3, $4) RETURNING id, generated_at
     ), pruned AS (
       DELETE FROM postmortems WHERE incident_id = $1 AND id IN (
         SELECT id FROM postmortems WHERE incident_id = $1 ORDER BY id DESC OFFSET $5)
     )
     SELECT id, generated_at FROM inserted`,
    [input.incidentId, input.markdown, input.generatedBy, input.sourceVersion, DRAFTS_KEPT - 1],
  );
  return {
    id: rows[0]!.id,
    incidentId: input.incidentId,
    markdown: input.markdown,
    generatedAt: rows[0]!.generated_at,
    slackFileId: null,
    sourceVersion: input.sourceVersion,
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
    source_version: string | null;
  }>(
    `SELECT id, incident_id, markdown, generated_at, slack_file_id, source_version FROM postmortems
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
        sourceVersion: r.source_version,
      }
    : null;
}

/** The latest draft when it was built from the data as it is now (a regeneration would change nothing). */
export async function findCurrentDraft(db: Queryable, incidentId: number): Promise<StoredPostmortem | null> {
  const latest = await findLatestPostmortem(db, incidentId);
  const version = await findDraftSourceVersion(db, incidentId);
  return latest && latest.sourceVersion === version ? latest : null;
}

export async function recordPostmortemFile(db: Queryable, id: number, fileId: string): Promise<void> {
  await db.query('UPDATE postmortems SET slack_file_id = $2 WHERE id = $1', [id, fileId]);
}
