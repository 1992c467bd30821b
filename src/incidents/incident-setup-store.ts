import { type CardAlert, cardAlertOf } from '../alerts/alert-card.js';
import { listAlertsOf } from '../alerts/alert-incident-repo.js';
import type { Clock } from '../clock.js';
import { type Pool, withTransaction } from '../db/pool.js';
import { listIncidentEscalations } from '../escalation/escalation-repo.js';
import { appendTimelineEvent } from '../timeline/timeline-repo.js';
import { type CardPaging, cardPaging } from './incident-card.js';
import { findIncidentByChannelId, findIncidentById, recordIncidentChannel } from './incident-repo.js';
import type { Incident, SetupStep } from './incident-types.js';
import {
  findSlackPresence,
  markSetupFinished,
  type PresenceRefs,
  recordSetupStep,
  type SlackPresence,
} from './slack-presence-repo.js';

/** What the card shows of paging when it is first posted (paging may have started already). */
export type SetupPaging = CardPaging;

/** The card's first post: paging, and the alerts the incident was declared from. */
export interface SetupHeadline {
  paging: SetupPaging | null;
  alert: CardAlert | null;
}

/**
 * The set-up's records (`createIncidentSetup` in incident-service.ts reports each step here): which
 * incident a channel belongs to, the timeline events and the progress are kept in Postgres by these
 * functions, so a retried set-up resumes where the last one stopped.
 */
export type IncidentSetupStore = ReturnType<typeof createIncidentSetupStore>;

export function createIncidentSetupStore({ pool, clock }: { pool: Pool; clock: Clock }) {
  return {
    /** The incident and its set-up progress, or null when there is no such incident. */
    async load(incidentId: number): Promise<{ incident: Incident; presence: SlackPresence } | null> {
      const [incident, presence] = await Promise.all([
        findIncidentById(pool, incidentId),
        findSlackPresence(pool, incidentId),
      ]);
      return incident ? { incident, presence } : null;
    },

    /** The channel is created: claims it for the incident, records the step and the timeline event. */
    async recordChannel(incidentId: number, channelId: string, channelName: string): Promise<void> {
      await withTransaction(pool, async (tx) => {
        await recordIncidentChannel(tx, incidentId, { channelId, channelName });
        await recordSetupStep(tx, incidentId, 'channel');
        await appendTimelineEvent(
          tx,
          incidentId,
          { kind: 'incident.channel_created', details: { channelId, channelName } },
          { occurredAt: clock.now(), actorId: null },
        );
      });
    },

    recordStep(incidentId: number, step: SetupStep, refs?: PresenceRefs): Promise<void> {
      return recordSetupStep(pool, incidentId, step, refs);
    },

    async recordStepFailure(incidentId: number, step: SetupStep, reason: string): Promise<void> {
      await appendTimelineEvent(
        pool,
        incidentId,
        { kind: 'incident.setup_step_failed', details: { step, error: reason } },
        { occurredAt: clock.now(), actorId: null },
      );
    },

    markFinished(incidentId: number, outcome: 'completed' | 'failed'): Promise<void> {
      return markSetupFinished(pool, incidentId, outcome);
    },

    /** Whether some incident already owns this channel (a run adopting a channel must not steal one). */
    async isChannelClaimed(channelId: string): Promise<boolean> {
      return (await findIncidentByChannelId(pool, channelId)) !== null;
    },

    /** What the card shows when it is first posted: paging (it may have started) and the alerts. */
    async headlineState(incidentId: number): Promise<SetupHeadline> {
      const [escalations, alerts, incident] = await Promise.all([
        listIncidentEscalations(pool, incidentId),
        listAlertsOf(pool, { incidentId }),
        findIncidentById(pool, incidentId),
      ]);
      return { paging: cardPaging(escalations, incident?.service ?? null), alert: cardAlertOf(alerts) };
    },
  };
}
