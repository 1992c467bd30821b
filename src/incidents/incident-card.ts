import { type Pool, withTransaction } from '../db/pool.js';
import { type Escalation, findEscalation } from '../escalation/escalation-repo.js';
import { findResponseTimes } from '../timeline/timeline-repo.js';
import { findIncidentById } from './incident-repo.js';
import type { Incident } from './incident-types.js';

/** What the headline card shows: the incident, its paging state, and (once resolved) its metrics. */
export interface IncidentCard {
  incident: Incident & { channelId: string };
  paging: Pick<Escalation, 'state' | 'epoch' | 'acknowledgedBy'> | null;
  metrics: { timeToAcknowledgeMs: number | null; timeToResolveMs: number | null } | null;
}

export type IncidentCards = ReturnType<typeof createIncidentCards>;

/** Reads an incident's card for a renderer; one render at a time per incident. */
export function createIncidentCards(pool: Pool) {
  return {
    /**
     * Runs `render` with the card read under a per-incident lock held until it returns, so an older
     * render never lands after a newer one. Nothing to render before the incident has a channel.
     */
    async withCard(incidentId: number, render: (card: IncidentCard) => Promise<void>): Promise<void> {
      await withTransaction(pool, async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(7246002, $1::int)', [incidentId]);
        const incident = await findIncidentById(tx, incidentId);
        if (!incident?.channelId) return;
        const escalation = await findEscalation(tx, incidentId);
        const paging = escalation
          ? { state: escalation.state, epoch: escalation.epoch, acknowledgedBy: escalation.acknowledgedBy }
          : null;
        let metrics: IncidentCard['metrics'] = null;
        if (incident.status === 'resolved' || incident.status === 'closed') {
          const { firstPage, firstAck } = await findResponseTimes(tx, incidentId);
          metrics = {
            timeToAcknowledgeMs: firstAck
              ? firstAck.getTime() - (firstPage ?? incident.declaredAt).getTime()
              : null,
            timeToResolveMs: incident.resolvedAt
              ? incident.resolvedAt.getTime() - incident.declaredAt.getTime()
              : null,
          };
        }
        await render({ incident: { ...incident, channelId: incident.channelId }, paging, metrics });
      });
    },
  };
}
