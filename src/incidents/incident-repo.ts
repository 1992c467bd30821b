import type { Queryable } from '../db/pool.js';
import type { DeclareIncidentInput, Incident, IncidentStatus, Severity } from './incident-types.js';

interface IncidentRow {
  id: number;
  number: number;
  title: string;
  summary: string | null;
  severity: Severity;
  status: IncidentStatus;
  is_private: boolean;
  service: string | null;
  reporter_id: string;
  commander_id: string | null;
  origin_channel_id: string | null;
  declared_at: Date;
  resolved_at: Date | null;
  closed_at: Date | null;
  updated_at: Date;
  channel_id: string | null;
  channel_name: string | null;
  comms_id: string | null;
  scribe_id: string | null;
  last_update_text: string | null;
  last_update_at: Date | null;
  version: number;
  reminder_due_at: Date | null;
  reminder_epoch: number;
  runbook_url: string | null;
}

const COLUMNS = `id, number, title, summary, severity, status, is_private, service, reporter_id, commander_id,
  origin_channel_id, declared_at, resolved_at, closed_at, updated_at, channel_id, channel_name, comms_id, scribe_id,
  last_update_text, last_update_at, version, reminder_due_at, reminder_epoch, runbook_url`;

function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    summary: row.summary,
    severity: row.severity,
    status: row.status,
    isPrivate: row.is_private,
    service: row.service,
    reporterId: row.reporter_id,
    commanderId: row.commander_id,
    originChannelId: row.origin_channel_id,
    declaredAt: row.declared_at,
    resolvedAt: row.resolved_at,
    closedAt: row.closed_at,
    updatedAt: row.updated_at,
    channelId: row.channel_id,
    channelName: row.channel_name,
    commsId: row.comms_id,
    scribeId: row.scribe_id,
    lastUpdateText: row.last_update_text,
    lastUpdateAt: row.last_update_at,
    version: row.version,
    reminderDueAt: row.reminder_due_at,
    reminderEpoch: row.reminder_epoch,
    runbookUrl: row.runbook_url,
  };
}

/** Takes the next gapless incident number; holds the counter row lock until the transaction ends. */
export async function nextIncidentNumber(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ last_number: number }>(
    'UPDATE incident_counter SET last_number = last_number + 1 RETURNING last_number',
  );
  return rows[0]!.last_number;
}

export async function insertIncident(
  db: Queryable,
  input: DeclareIncidentInput & { number: number; declaredAt: Date },
): Promise<Incident> {
  const { rows } = await db.query<IncidentRow>(
    `INSERT INTO incidents (number, title, summary, severity, is_private, service, reporter_id, commander_id,
       origin_channel_id, declared_at, updated_at, runbook_url)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)
     RETURNING ${COLUMNS}`,
    [
      input.number,
      input.title,
      input.summary,
      input.severity,
      input.isPrivate,
      input.service,
      input.reporterId,
      input.commanderId,
      input.originChannelId,
      input.declaredAt,
      input.runbookUrl ?? null,
    ],
  );
  return toIncident(rows[0]!);
}

export async function findIncidentById(db: Queryable, id: number): Promise<Incident | null> {
  const { rows } = await db.query<IncidentRow>(`SELECT ${COLUMNS} FROM incidents WHERE id = $1`, [id]);
  return rows[0] ? toIncident(rows[0]) : null;
}

/** Reads and row-locks the incident for a decision made in the caller's transaction. */
export async function findIncidentByIdForUpdate(db: Queryable, id: number): Promise<Incident | null> {
  const { rows } = await db.query<IncidentRow>(`SELECT ${COLUMNS} FROM incidents WHERE id = $1 FOR UPDATE`, [
    id,
  ]);
  return rows[0] ? toIncident(rows[0]) : null;
}

export async function findIncidentByNumber(db: Queryable, number: number): Promise<Incident | null> {
  const { rows } = await db.query<IncidentRow>(`SELECT ${COLUMNS} FROM incidents WHERE number = $1`, [
    number,
  ]);
  return rows[0] ? toIncident(rows[0]) : null;
}

export async function findIncidentByChannelId(db: Queryable, channelId: string): Promise<Incident | null> {
  const { rows } = await db.query<IncidentRow>(`SELECT ${COLUMNS} FROM incidents WHERE channel_id = $1`, [
    channelId,
  ]);
  return rows[0] ? toIncident(rows[0]) : null;
}

export async function listOpenIncidents(db: Queryable, limit = 50): Promise<Incident[]> {
  const { rows } = await db.query<IncidentRow>(
    `SELECT ${COLUMNS} FROM incidents WHERE status NOT IN ('resolved', 'closed')
     ORDER BY declared_at DESC LIMIT $1`,
    [limit],
  );
  return rows.map(toIncident);
}

/**
 * Claims an idempotency key. Returns true for the first caller; a concurrent second caller waits on
 * the key's unique index until the first commits, then gets false.
 */
export async function claimIdempotencyKey(db: Queryable, key: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'INSERT INTO idempotency_keys (key) VALUES ($1) ON CONFLICT (key) DO NOTHING',
    [key],
  );
  return rowCount === 1;
}

export async function bindIdempotencyKey(db: Queryable, key: string, incidentId: number): Promise<void> {
  await db.query('UPDATE idempotency_keys SET incident_id = $2 WHERE key = $1', [key, incidentId]);
}

export async function findIncidentByIdempotencyKey(db: Queryable, key: string): Promise<Incident | null> {
  const { rows } = await db.query<IncidentRow>(
    `SELECT ${COLUMNS} FROM incidents WHERE id = (SELECT incident_id FROM idempotency_keys WHERE key = $1)`,
    [key],
  );
  return rows[0] ? toIncident(rows[0]) : null;
}

/** Claims the channel Slack created for the incident (channel_id is UNIQUE: one incident per channel). */
export async function recordIncidentChannel(
  db: Queryable,
  id: number,
  channel: { channelId: string; channelName: string },
): Promise<void> {
  await db.query('UPDATE incidents SET channel_id = $2, channel_name = $3 WHERE id = $1', [
    id,
    channel.channelId,
    channel.channelName,
  ]);
}

export interface IncidentChanges {
  status?: IncidentStatus;
  severity?: Severity;
  commanderId?: string | null;
  commsId?: string | null;
  scribeId?: string | null;
  lastUpdate?: { text: string; at: Date };
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  /** Undefined leaves the reminder alone; null stops it; a date re-arms it (new epoch). */
  reminderDueAt?: Date | null;
}

/** Applies a change the headline shows: bumps `version` (and the reminder epoch when re-armed). */
export async function updateIncident(db: Queryable, id: number, changes: IncidentChanges): Promise<Incident> {
  const sets: string[] = ['version = version + 1', 'updated_at = now()'];
  const params: unknown[] = [id];
  const set = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  };
  if (changes.status !== undefined) set('status', changes.status);
  if (changes.severity !== undefined) set('severity', changes.severity);
  if (changes.commanderId !== undefined) set('commander_id', changes.commanderId);
  if (changes.commsId !== undefined) set('comms_id', changes.commsId);
  if (changes.scribeId !== undefined) set('scribe_id', changes.scribeId);
  if (changes.lastUpdate !== undefined) {
    set('last_update_text', changes.lastUpdate.text);
    set('last_update_at', changes.lastUpdate.at);
  }
  if (changes.resolvedAt !== undefined) set('resolved_at', changes.resolvedAt);
  if (changes.closedAt !== undefined) set('closed_at', changes.closedAt);
  if (changes.reminderDueAt !== undefined) {
    set('reminder_due_at', changes.reminderDueAt);
    sets.push('reminder_epoch = reminder_epoch + 1');
  }
  const { rows } = await db.query<IncidentRow>(
    `UPDATE incidents SET ${sets.join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
    params,
  );
  return toIncident(rows[0]!);
}

/** Open incidents whose update reminder is overdue: the reconciler re-enqueues their wake-ups. */
export async function listOverdueReminders(db: Queryable, before: Date): Promise<Incident[]> {
  const { rows } = await db.query<IncidentRow>(
    `SELECT ${COLUMNS} FROM incidents WHERE reminder_due_at IS NOT NULL AND reminder_due_at < $1
     AND status NOT IN ('resolved', 'closed') ORDER BY reminder_due_at LIMIT 1000`,
    [before],
  );
  return rows.map(toIncident);
}

/** What the App Home shows one person: the open incidents, and those whose page to them awaits an ack. */
export interface HomeIncidents {
  open: Incident[];
  waitingForViewer: Incident[];
}

/**
 * The App Home in one query: open incidents (newest first) and any incident paging `userId` that
 * nobody has acknowledged, flagged per row, so the view needs no per-row lookups.
 */
export async function listHomeIncidents(db: Queryable, userId: string, limit = 100): Promise<HomeIncidents> {
  const { rows } = await db.query<IncidentRow & { waiting_for_viewer: boolean }>(
    `WITH waiting AS (
       SELECT DISTINCT p.incident_id FROM pages p JOIN escalations e ON e.id = p.escalation_id
       WHERE p.user_id = $1 AND p.status = 'sent' AND e.state = 'triggered'
     )
     SELECT ${COLUMNS}, id IN (SELECT incident_id FROM waiting) AS waiting_for_viewer FROM incidents
     WHERE status NOT IN ('resolved', 'closed') OR id IN (SELECT incident_id FROM waiting)
     ORDER BY waiting_for_viewer DESC, declared_at DESC LIMIT $2`,
    [userId, limit],
  );
  return {
    open: rows.filter((r) => r.status !== 'resolved' && r.status !== 'closed').map(toIncident),
    waitingForViewer: rows.filter((r) => r.waiting_for_viewer).map(toIncident),
  };
}
