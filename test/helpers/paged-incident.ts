import type { EscalationService } from '../../src/escalation/escalation-service.js';
import type { Severity } from '../../src/incidents/incident-types.js';
import type { ServiceDb } from './service-deps.js';

let number = 1000;

/** An incident (SEV1 unless said) at `at` whose escalation has paged its first level; the first page's id. */
export async function pagedIncident(
  db: ServiceDb,
  escalation: EscalationService,
  at: string,
  severity: Severity = 'SEV1',
): Promise<{ incidentId: number; pageId: number }> {
  db.clock.set(at);
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO incidents (number, title, severity, status, reporter_id, declared_at)
     VALUES ($1, 'Payments failing', $3, 'investigating', 'U0ALICE', $2) RETURNING id`,
    [++number, db.clock.now(), severity],
  );
  const incidentId = Number(rows[0]!.id);
  await escalation.start(incidentId, { service: null });
  const [esc] = await db.rows<{ id: string }>('SELECT id FROM escalations WHERE incident_id = $1', [
    incidentId,
  ]);
  if (
    (await escalation.fireStep({ escalationId: Number(esc!.id), epoch: 0, step: 0, loop: 0 })) !== 'paged'
  ) {
    throw new Error('expected the first level to be paged');
  }
  const [page] = await db.rows<{ id: string }>('SELECT id FROM pages WHERE incident_id = $1', [incidentId]);
  return { incidentId, pageId: Number(page!.id) };
}
