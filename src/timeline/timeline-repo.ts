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

/**
 * Adds an event that stands for an outside thing (a Slack message) at most once: a second add of the
 * same `sourceRef` returns null, unless the first was removed, in which case it comes back.
 */
export async function appendSourcedTimelineEvent(
  db: Queryable,
  incidentId: number,
  sourceRef: string,
  event: TimelineEventInput,
  meta: { occurredAt: Date; actorId?: string | null },
): Promise<TimelineEvent | null> {
  const valid = timelineEventSchema.parse(event);
  const { rows } = await db.query<TimelineRow>(
    `INSERT INTO timeline_events (incident_id, kind, occurred_at, actor_id, details, source_ref)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (incident_id, source_ref) WHERE source_ref IS NOT NULL
       DO UPDATE SET removed_at = NULL WHERE timeline_events.removed_at IS NOT NULL
     RETURNING id, incident_id, kind, occurred_at, recorded_at, actor_id, details`,
    [incidentId, valid.kind, meta.occurredAt, meta.actorId ?? null, JSON.stringify(valid.details), sourceRef],
  );
  return rows[0] ? toTimelineEvent(rows[0]) : null;
}

/** Takes a sourced event off the timeline (an un-pin); the row stays, marked removed. */
export async function removeSourcedTimelineEvent(
  db: Queryable,
  incidentId: number,
  sourceRef: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE timeline_events SET removed_at = now() WHERE incident_id = $1 AND source_ref = $2 AND removed_at IS NULL',
    [incidentId, sourceRef],
  );
  return rowCount === 1;
}

const KNOWN_KINDS: ReadonlySet<string> = new Set(timelineEventSchema.options.map((o) => o.shape.kind.value));

/**
 * The timeline for bulk reading (postmortem export, up to tens of thousands of rows). Every row was
 * validated by the same schema when it was appended, so only the kind is checked here; a row of an
 * unknown kind (written by hand, or by a newer version) is fully parsed, and rejected if invalid.
 */
export async function listTimelineEventsForExport(
  db: Queryable,
  incidentId: number,
): Promise<TimelineEvent[]> {
  const { rows } = await db.query<TimelineRow>(
    `SELECT id, incident_id, kind, occurred_at, recorded_at, actor_id, details
     FROM timeline_events WHERE incident_id = $1 AND removed_at IS NULL ORDER BY occurred_at, id`,
    [incidentId],
  );
  return rows.map((row) =>
    KNOWN_KINDS.has(row.kind)
      ? ({
          kind: row.kind,
          details: row.details,
          id: row.id,
          incidentId: row.incident_id,
          occurredAt: row.occurred_at,
          recordedAt: row.recorded_at,
          actorId: row.actor_id,
        } as TimelineEvent)
      : toTimelineEvent(row),
  );
}

export async function listTimelineEvents(db: Queryable, incidentId: number): Promise<TimelineEvent[]> {
  const { rows } = await db.query<TimelineRow>(
    `SELECT id, incident_id, kind, occurred_at, recorded_at, actor_id, details
     FROM timeline_events WHERE incident_id = $1 AND removed_at IS NULL ORDER BY occurred_at, id`,
    [incidentId],
  );
  return rows.map(toTimelineEvent);
}

/** When the incident's first page went out and its first acknowledgement came (null if never). */
export async function findResponseTimes(
  db: Queryable,
  incidentId: number,
): Promise<{ firstPage: Date | null; firstAck: Date | null }> {
  const { rows } = await db.query<{ first_page: Date | null; first_ack: Date | null }>(
    `SELECT min(occurred_at) FILTER (WHERE kind = 'escalation.paged') AS first_page,
            min(occurred_at) FILTER (WHERE kind = 'escalation.acknowledged') AS first_ack
     FROM timeline_events WHERE incident_id = $1 AND removed_at IS NULL`,
    [incidentId],
  );
  return { firstPage: rows[0]?.first_page ?? null, firstAck: rows[0]?.first_ack ?? null };
}
