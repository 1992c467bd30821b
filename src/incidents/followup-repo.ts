import type { Queryable } from '../db/pool.js';

export interface Followup {
  id: number;
  incidentId: number;
  text: string;
  ownerId: string | null;
  /** YYYY-MM-DD */
  dueDate: string | null;
  priority: 'high' | 'normal' | 'low';
  createdBy: string;
  createdAt: Date;
}

interface FollowupRow {
  id: number;
  incident_id: number;
  text: string;
  owner_id: string | null;
  due_date: string | null;
  priority: Followup['priority'];
  created_by: string;
  created_at: Date;
}

const COLUMNS =
  "id, incident_id, text, owner_id, to_char(due_date, 'YYYY-MM-DD') AS due_date, priority, created_by, created_at";

function toFollowup(row: FollowupRow): Followup {
  return {
    id: row.id,
    incidentId: row.incident_id,
    text: row.text,
    ownerId: row.owner_id,
    dueDate: row.due_date,
    priority: row.priority,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export async function insertFollowup(
  db: Queryable,
  input: {
    incidentId: number;
    text: string;
    ownerId: string | null;
    dueDate: string | null;
    createdBy: string;
  },
): Promise<Followup> {
  const { rows } = await db.query<FollowupRow>(
    `INSERT INTO followups (incident_id, text, owner_id, due_date, created_by) VALUES ($1, $2, $3, $4, $5)
     RETURNING ${COLUMNS}`,
    [input.incidentId, input.text, input.ownerId, input.dueDate, input.createdBy],
  );
  return toFollowup(rows[0]!);
}

export async function listFollowups(db: Queryable, incidentId: number): Promise<Followup[]> {
  const { rows } = await db.query<FollowupRow>(
    `SELECT ${COLUMNS} FROM followups WHERE incident_id = $1 ORDER BY id`,
    [incidentId],
  );
  return rows.map(toFollowup);
}
