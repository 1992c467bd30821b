import type { Queryable } from '../db/pool.js';
import { type TimelineEvent, type TimelineEventInput, timelineEventSchema } from './timeline-events.js';

interface TimelineRow {
  id: number;
  incident_id: number;
  kind: string;
  occurred_at: Date;
  recorded_at: Date;
  actor_id: string | null;
  details: unknown;
}

function toTimelineEvent(row: TimelineRow): TimelineEvent {
  const parsed = timelineEventSchema.parse({ kind: row.kind, details: row.details });
  return {
    ...parsed,
    id: row.id,
    incidentId: row.incident_id,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    actorId: row.actor_id,
  };
}

/** The one way onto the timeline: append-only, validated, in the caller's transaction. */
export async function appendTimelineEvent(
  db: Queryable,
  incidentId: number,
  event: TimelineEventInput,
  meta: { occurredAt: Date; actorId?: string | null },
): Promise<TimelineEvent> {
  const valid = timelineEventSchema.parse(event);
  const { rows } = await db.query<TimelineRow>(
    `INSERT INTO timeline_events (incident_id, kind, occurred_at, actor_id, details)
     VALUES ($1, $2, $3, $4, $5)
     RETURNING id, incident_id, kind, occurred_at, recorded_at, actor_id, details`,
    [incidentId, valid.kind, meta.occurredAt, meta.actorId ?? null, JSON.stringify(valid.details)],
  );
  return toTimelineEvent(rows[0]!);
}

export async function listTimelineEvents(db: Queryable, incidentId: number): Promise<TimelineEvent[]> {
  const { rows } = await db.query<TimelineRow>(
    `SELECT id, incident_id, kind, occurred_at, recorded_at, actor_id, details
     FROM timeline_events WHERE incident_id = $1 ORDER BY occurred_at, id`,
    [incidentId],
  );
  return rows.map(toTimelineEvent);
}
