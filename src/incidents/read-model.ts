import type { Pool } from '../db/pool.js';
import { listIncidentEscalations } from '../escalation/escalation-repo.js';
import type { OncallConfig, Schedule } from '../escalation/oncall-config.js';
import { effectiveSchedules } from '../escalation/overrides-repo.js';
import { listPagedUsers } from '../escalation/paged-users-repo.js';
import { findCurrentDraft } from '../postmortem/postmortem-repo.js';
import { type CardPaging, cardPaging } from './incident-card.js';
import { guarded } from './incident-queries.js';
import { findIncidentById, type HomeIncidents, listHomeIncidents } from './incident-repo.js';
import type { IncidentTimes } from './incident-stats.js';
import { listIncidentTimes } from './incident-stats-repo.js';
import type { Incident } from './incident-types.js';
import type { SlackPresence } from './slack-presence.js';
import { findSlackPresence } from './slack-presence-repo.js';

/**
 * What the Slack app reads, as a port: `src/slack/` renders these and never holds the pool or SQL.
 * Built by the composition root from the repos.
 */
export interface ReadModel {
  findIncident(id: number): Promise<Incident | null>;
  /** The App Home's incidents for one viewer, in one query. */
  listHomeIncidents(viewerId: string): Promise<HomeIncidents>;
  /** The times of every incident declared since `since` (for `computeStats`); private ones on request. */
  listIncidentTimes(since: Date, options: { includePrivate: boolean }): Promise<IncidentTimes[]>;
  findSlackPresence(incidentId: number): Promise<SlackPresence>;
  /** oncall.yaml's schedules with the overrides taken in Slack; none without an oncall.yaml. */
  effectiveSchedules(now: Date): Promise<Record<string, Schedule>>;
  /** The newest postmortem draft when nothing changed since it was generated; else null. */
  findCurrentDraft(incidentId: number): ReturnType<typeof findCurrentDraft>;
  /** The people paged per incident (the access rule lets them view it and acknowledge). */
  pagedUsers(incidentIds: readonly number[]): Promise<Map<number, string[]>>;
  /** What the card shows of the incident's paging: every team engaged (`/incident show`). */
  cardPaging(incident: Pick<Incident, 'id' | 'service'>): Promise<CardPaging | null>;
}

export function createReadModel({ pool, oncall }: { pool: Pool; oncall: OncallConfig | null }): ReadModel {
  return {
    findIncident: (id) => findIncidentById(pool, id),
    listHomeIncidents: (viewerId) => listHomeIncidents(pool, viewerId),
    listIncidentTimes: (since, options) => listIncidentTimes(pool, since, options),
    findSlackPresence: (incidentId) => findSlackPresence(pool, incidentId),
    effectiveSchedules: async (now) => (oncall ? effectiveSchedules(pool, oncall, now) : {}),
    findCurrentDraft: (incidentId) => guarded(() => findCurrentDraft(pool, incidentId)),
    // An outage reads as "try again", as the other reads do.
    pagedUsers: (ids) => guarded(() => listPagedUsers(pool, ids)),
    cardPaging: (incident) =>
      guarded(async () => cardPaging(await listIncidentEscalations(pool, incident.id), incident.service)),
  };
}
