import { type CardAlert, cardAlertOf } from '../alerts/alert-card.js';
import { listAlertsOf } from '../alerts/alert-incident-repo.js';
import { asDatabaseError, type Pool, type PoolClient, type Queryable } from '../db/pool.js';
import { type Escalation, listIncidentEscalations } from '../escalation/escalation-repo.js';
import { findResponseTimes } from '../timeline/timeline-repo.js';
import { findIncidentById } from './incident-repo.js';
import type { Incident } from './incident-types.js';

/** What the headline card shows: the incident, its paging state, and (once resolved) its metrics. */
export interface IncidentCard {
  incident: Incident & { channelId: string };
  /** The alerts it was declared from, with their links. */
  alert: CardAlert | null;
  paging: CardPaging | null;
  metrics: { timeToAcknowledgeMs: number | null; timeToResolveMs: number | null } | null;
}

/** One team's paging of the incident, as the card lists it. */
export interface CardTeam {
  service: string;
  /** `none`: the incident's own service, not paging. */
  state: Escalation['state'] | 'none';
  acknowledgedBy: string | null;
}

/**
 * What the card shows of paging: the escalation its Acknowledge and Escalate now act on (the first
 * still paging, the incident's own first), and, once another team was paged in, every team engaged.
 */
export interface CardPaging extends Pick<Escalation, 'state' | 'epoch' | 'acknowledgedBy'> {
  /** Set when the buttons act on another team's escalation, not the incident's own. */
  escalationId?: number;
  team?: string;
  /** The teams engaged, the incident's own service first; absent while no other team was paged in. */
  teams?: CardTeam[];
}

/** The card's paging from every escalation of the incident (listIncidentEscalations: its own first). */
export function cardPaging(escalations: Escalation[], ownService: string | null): CardPaging | null {
  const shown = escalations.find((e) => e.state === 'triggered') ?? escalations[0];
  if (!shown) return null;
  const paging: CardPaging = { state: shown.state, epoch: shown.epoch, acknowledgedBy: shown.acknowledgedBy };
  if (shown.team) Object.assign(paging, { escalationId: shown.id, team: shown.team.service });
  if (!escalations.some((e) => e.team)) return paging;
  const own = escalations.find((e) => !e.team);
  const teams: CardTeam[] = escalations
    .filter((e) => e.team)
    .map((e) => ({ service: e.team!.service, state: e.state, acknowledgedBy: e.acknowledgedBy }));
  if (own || ownService) {
    teams.unshift({
      service: ownService ?? 'own paging',
      state: own?.state ?? 'none',
      acknowledgedBy: own?.acknowledgedBy ?? null,
    });
  }
  return { ...paging, teams };
}

export type IncidentCards = ReturnType<typeof createIncidentCards>;

/** Reads an incident's card for a renderer; one render at a time per incident. */
export function createIncidentCards(pool: Pool) {
  return {
    /**
     * Runs `render` with the card read under a per-incident lock held until it returns, so an older
     * render never lands after a newer one. The lock is a session-level advisory lock on a connection
     * of its own, not a transaction: `render` calls Slack, which may wait out a 429 for seconds, and
     * no transaction may stay open across that. Nothing to render before the incident has a channel.
     */
    async withCard(incidentId: number, render: (card: IncidentCard) => Promise<void>): Promise<void> {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw asDatabaseError(error);
      }
      let unlocked = false;
      try {
        await client.query('SELECT pg_advisory_lock(7246002, $1::int)', [incidentId]);
        try {
          const card = await readCard(client, incidentId);
          if (card) await render(card);
        } finally {
          await client.query('SELECT pg_advisory_unlock(7246002, $1::int)', [incidentId]);
          unlocked = true;
        }
      } catch (error) {
        throw asDatabaseError(error);
      } finally {
        // A connection that may still hold the lock is closed, which releases it.
        client.release(!unlocked);
      }
    },
  };
}

async function readCard(db: Queryable, incidentId: number): Promise<IncidentCard | null> {
  const incident = await findIncidentById(db, incidentId);
  if (!incident?.channelId) return null;
  const paging = cardPaging(await listIncidentEscalations(db, incidentId), incident.service);
  let metrics: IncidentCard['metrics'] = null;
  if (incident.status === 'resolved' || incident.status === 'closed') {
    const { firstPage, firstAck } = await findResponseTimes(db, incidentId);
    metrics = {
      timeToAcknowledgeMs: firstAck
        ? firstAck.getTime() - (firstPage ?? incident.declaredAt).getTime()
        : null,
      timeToResolveMs: incident.resolvedAt
        ? incident.resolvedAt.getTime() - incident.declaredAt.getTime()
        : null,
    };
  }
  const alert = cardAlertOf(await listAlertsOf(db, { incidentId }));
  return { incident: { ...incident, channelId: incident.channelId }, paging, metrics, alert };
}
