import type { Queryable } from '../db/pool.js';

/** A page: one person asked to respond, by one level of an escalation (or by hand, step -1). */
export interface Page {
  id: number;
  escalationId: number;
  /** The incident paged for, or null for an alert group's page. */
  incidentId: number | null;
  /** The alert group paged for, or null for an incident's page. */
  alertGroupId: number | null;
  epoch: number;
  step: number;
  loop: number;
  target: string;
  userId: string | null;
  via: string;
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  dmChannelId: string | null;
  dmTs: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

interface PageRow {
  id: number;
  escalation_id: number;
  incident_id: number | null;
  alert_group_id: number | null;
  epoch: number;
  step: number;
  loop: number;
  target: string;
  user_id: string | null;
  via: string;
  status: Page['status'];
  dm_channel_id: string | null;
  dm_ts: string | null;
  created_at: Date;
  sent_at: Date | null;
}

const PAGE_COLUMNS =
  'id, escalation_id, incident_id, alert_group_id, epoch, step, loop, target, user_id, via, status, dm_channel_id, dm_ts, created_at, sent_at';

function toPage(row: PageRow): Page {
  return {
    id: row.id,
    escalationId: row.escalation_id,
    incidentId: row.incident_id,
    alertGroupId: row.alert_group_id,
    epoch: row.epoch,
    step: row.step,
    loop: row.loop,
    target: row.target,
    userId: row.user_id,
    via: row.via,
    status: row.status,
    dmChannelId: row.dm_channel_id,
    dmTs: row.dm_ts,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

/** Inserts the pages of one level; a page that exists already (a timer run twice) is not created again. */
export async function insertPages(
  db: Queryable,
  escalation: { id: number; incidentId: number | null; alertGroupId: number | null },
  position: { epoch: number; step: number; loop: number },
  targets: { target: string; via: string }[],
): Promise<Page[]> {
  if (targets.length === 0) return [];
  const { rows } = await db.query<PageRow>(
    `INSERT INTO pages (escalation_id, incident_id, alert_group_id, epoch, step, loop, target, via)
     SELECT $1, $7, $8, $2, $3, $4, t.target, t.via FROM unnest($5::text[], $6::text[]) AS t(target, via)
     ON CONFLICT (escalation_id, epoch, step, loop, target) DO NOTHING
     RETURNING ${PAGE_COLUMNS}`,
    [
      escalation.id,
      position.epoch,
      position.step,
      position.loop,
      targets.map((t) => t.target),
      targets.map((t) => t.via),
      escalation.incidentId,
      escalation.alertGroupId,
    ],
  );
  return rows.map(toPage);
}

export async function findPage(db: Queryable, id: number): Promise<Page | null> {
  const { rows } = await db.query<PageRow>(`SELECT ${PAGE_COLUMNS} FROM pages WHERE id = $1`, [id]);
  return rows[0] ? toPage(rows[0]) : null;
}

/** The pages of an incident (a number) or of an alert group, oldest first. */
export async function listPages(
  db: Queryable,
  subject: number | { incidentId: number } | { alertGroupId: number },
): Promise<Page[]> {
  const [column, id] =
    typeof subject === 'number'
      ? ['incident_id', subject]
      : 'incidentId' in subject
        ? ['incident_id', subject.incidentId]
        : ['alert_group_id', subject.alertGroupId];
  const { rows } = await db.query<PageRow>(
    `SELECT ${PAGE_COLUMNS} FROM pages WHERE ${column} = $1 ORDER BY id`,
    [id],
  );
  return rows.map(toPage);
}

export async function markPageSent(
  db: Queryable,
  id: number,
  fields: { userId: string; dmChannelId: string; dmTs: string; at: Date },
): Promise<void> {
  await db.query(
    `UPDATE pages SET status = 'sent', user_id = $2, dm_channel_id = $3, dm_ts = $4, sent_at = $5, error = NULL
     WHERE id = $1`,
    [id, fields.userId, fields.dmChannelId, fields.dmTs, fields.at],
  );
}

export async function markPageUnsent(
  db: Queryable,
  id: number,
  status: 'failed' | 'skipped',
  error: string | null,
): Promise<void> {
  await db.query(`UPDATE pages SET status = $2, error = $3 WHERE id = $1 AND status = 'pending'`, [
    id,
    status,
    error,
  ]);
}

export async function listStalePendingPages(db: Queryable, before: Date): Promise<Page[]> {
  const { rows } = await db.query<PageRow>(
    `SELECT ${PAGE_COLUMNS} FROM pages WHERE status = 'pending' AND created_at < $1 ORDER BY id LIMIT 1000`,
    [before],
  );
  return rows.map(toPage);
}

/** A page's line in the incident channel ("Paged @x", or why it could not be): what it says, and whether it was posted. */
export interface PageChannelNote {
  step: number;
  via: string;
  target: string;
  userId: string | null;
  status: Page['status'];
  error: string | null;
  noted: boolean;
  channelId: string | null;
}

/** Reads the page with its incident's channel. No lock: the note's job id keeps runs apart. */
export async function findPageChannelNote(db: Queryable, pageId: number): Promise<PageChannelNote | null> {
  const { rows } = await db.query<{
    step: number;
    via: string;
    target: string;
    user_id: string | null;
    status: Page['status'];
    error: string | null;
    noted: boolean;
    channel_id: string | null;
  }>(
    `SELECT p.step, p.via, p.target, p.user_id, p.status, p.error, p.channel_noted_at IS NOT NULL AS noted,
       i.channel_id
     FROM pages p JOIN incidents i ON i.id = p.incident_id WHERE p.id = $1`,
    [pageId],
  );
  const row = rows[0];
  return row
    ? {
        step: row.step,
        via: row.via,
        target: row.target,
        userId: row.user_id,
        status: row.status,
        error: row.error,
        noted: row.noted,
        channelId: row.channel_id,
      }
    : null;
}

export async function markPageChannelNoted(db: Queryable, pageId: number): Promise<void> {
  await db.query('UPDATE pages SET channel_noted_at = now() WHERE id = $1', [pageId]);
}

/** Sent or failed pages whose line in the incident channel is not posted yet. */
export async function listPagesNotNoted(db: Queryable, incidentId: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM pages WHERE incident_id = $1 AND status IN ('sent', 'failed') AND channel_noted_at IS NULL
     ORDER BY id`,
    [incidentId],
  );
  return rows.map((r) => r.id);
}

/**
 * Pages created between `since` and `before`, sent or failed, whose incident has a channel but whose
 * line is not posted (a note job lost with Redis, or a worker that died): for the reconciler.
 */
export async function listStaleNotNotedPages(db: Queryable, since: Date, before: Date): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT p.id FROM pages p JOIN incidents i ON i.id = p.incident_id
     WHERE p.status IN ('sent', 'failed') AND p.channel_noted_at IS NULL AND i.channel_id IS NOT NULL
       AND p.created_at >= $1 AND p.created_at < $2
     ORDER BY p.id LIMIT 1000`,
    [since, before],
  );
  return rows.map((r) => r.id);
}
