import type { Queryable } from '../db/pool.js';
import type { IncidentTimes } from './incident-stats.js';
import type { Severity } from './incident-types.js';

/**
 * The times of every incident declared since `since`, for `computeStats` (incident-stats.ts);
 * private incidents only with `includePrivate`.
 */
export async function listIncidentTimes(
  db: Queryable,
  since: Date,
  options: { includePrivate: boolean },
): Promise<IncidentTimes[]> {
  const { rows } = await db.query<{
    severity: Severity;
    declared_at: Date;
    resolved_at: Date | null;
    first_page: Date | null;
    first_ack: Date | null;
  }>(
    `SELECT i.severity, i.declared_at, i.resolved_at,
       (SELECT min(occurred_at) FROM timeline_events t WHERE t.incident_id = i.id AND t.kind = 'escalation.paged') AS first_page,
       (SELECT min(occurred_at) FROM timeline_events t WHERE t.incident_id = i.id AND t.kind = 'escalation.acknowledged') AS first_ack
     FROM incidents i WHERE i.declared_at >= $1 AND (NOT i.is_private OR $2)`,
    [since, options.includePrivate],
  );
  return rows.map((r) => ({
    severity: r.severity,
    declaredAt: r.declared_at,
    resolvedAt: r.resolved_at,
    firstPageAt: r.first_page,
    firstAckAt: r.first_ack,
  }));
}
