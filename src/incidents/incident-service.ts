import type { Clock } from '../clock.js';
import { asDatabaseError, type Pool, type PoolClient, withTransaction } from '../db/pool.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { appendTimelineEvent } from '../timeline/timeline-repo.js';
import {
  bindIdempotencyKey,
  claimIdempotencyKey,
  findIncidentByChannelId,
  findIncidentByIdempotencyKey,
  findIncidentByNumber,
  insertIncident,
  listOpenIncidents,
  nextIncidentNumber,
} from './incident-repo.js';
import type { DeclareIncidentInput, Incident, Severity } from './incident-types.js';

/** What the incident domain needs from outside: work that happens after a commit. */
export interface IncidentFollowUps {
  /** Schedules channel creation, invites, headline and announcement. Must not throw. */
  incidentDeclared(incident: Incident): Promise<void>;
}

/** Paging, when an oncall.yaml is configured: started in the declare transaction for auto-paged severities. */
export interface IncidentPaging {
  autoPage: Severity[];
  startInTransaction(
    tx: PoolClient,
    incidentId: number,
    options: { service: string | null },
  ): Promise<(() => Promise<void>) | null>;
}

export interface IncidentServiceDeps {
  pool: Pool;
  clock: Clock;
  followUps: IncidentFollowUps;
  logger: Logger;
  paging?: IncidentPaging | null;
  /** Arms the first update reminder inside the declare transaction. */
  armReminder?: (tx: PoolClient, incident: Incident) => Promise<Incident>;
}

export interface DeclareResult {
  incident: Incident;
  /** False when the idempotency key had been used: a retry, a double submit or a double click. */
  created: boolean;
}

export type IncidentService = ReturnType<typeof createIncidentService>;

export function createIncidentService({
  pool,
  clock,
  followUps,
  logger,
  paging,
  armReminder,
}: IncidentServiceDeps) {
  return {
    /**
     * Declares an incident exactly once per idempotency key: the incident and its
     * `incident.declared` event commit together; Slack set-up is scheduled after the commit.
     */
    async declare(input: DeclareIncidentInput, options: { idempotencyKey: string }): Promise<DeclareResult> {
      const result = await withTransaction(pool, async (tx) => {
        if (!(await claimIdempotencyKey(tx, options.idempotencyKey))) {
          const existing = await findIncidentByIdempotencyKey(tx, options.idempotencyKey);
          if (!existing)
            throw new AppError('conflict', `idempotency key ${options.idempotencyKey} has no incident`);
          return { incident: existing, created: false, afterCommit: null };
        }
        const declaredAt = clock.now();
        const number = await nextIncidentNumber(tx);
        const inserted = await insertIncident(tx, { ...input, number, declaredAt });
        const incident = armReminder ? await armReminder(tx, inserted) : inserted;
        await appendTimelineEvent(
          tx,
          incident.id,
          {
            kind: 'incident.declared',
            details: {
              title: incident.title,
              severity: incident.severity,
              isPrivate: incident.isPrivate,
              service: incident.service,
              commanderId: incident.commanderId,
              summary: incident.summary,
            },
          },
          { occurredAt: declaredAt, actorId: input.reporterId },
        );
        await bindIdempotencyKey(tx, options.idempotencyKey, incident.id);
        // Paging starts in the same transaction: a crash after commit delays the page, never loses it.
        const afterCommit = paging?.autoPage.includes(incident.severity)
          ? await paging.startInTransaction(tx, incident.id, { service: incident.service })
          : null;
        return { incident, created: true, afterCommit };
      });
      if (result.created) {
        logger.info(
          { incident: result.incident.number, severity: result.incident.severity },
          'incident declared',
        );
        await followUps.incidentDeclared(result.incident);
        await result.afterCommit?.();
      }
      return { incident: result.incident, created: result.created };
    },

    async listOpen(): Promise<Incident[]> {
      return guard(() => listOpenIncidents(pool));
    },

    async findByChannel(channelId: string): Promise<Incident | null> {
      return guard(() => findIncidentByChannelId(pool, channelId));
    },

    /** Resolves `#12`, `12`, `inc-12` or `inc-12-some-slug` to an incident. */
    async getByReference(reference: string): Promise<Incident> {
      const number = parseIncidentReference(reference);
      if (number === null) {
        throw new AppError('command_invalid', `bad reference ${reference}`, {
          userMessage: `"${reference}" is not an incident reference. Use the incident number, like \`#12\` or \`inc-12\`.`,
        });
      }
      const incident = await guard(() => findIncidentByNumber(pool, number));
      if (!incident) {
        throw new AppError('not_found', `incident ${number} not found`, {
          userMessage: `There is no incident #${number}.`,
        });
      }
      return incident;
    },
  };
}

export function parseIncidentReference(reference: string): number | null {
  const match = /^(?:#|inc-)?(\d{1,9})(?:-[a-z0-9_-]*)?$/i.exec(reference.trim());
  return match ? Number(match[1]) : null;
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw asDatabaseError(error);
  }
}
