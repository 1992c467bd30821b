import type { Clock } from '../clock.js';
import { asDatabaseError, type Pool, type PoolClient } from '../db/pool.js';
import { AppError } from '../errors.js';
import { channelBookmarkJob } from '../jobs/channel-bookmark.js';
import { incidentSetupJob } from '../jobs/incident-setup.js';
import type { Outbox } from '../jobs/outbox.js';
import { reminderFireJob } from '../jobs/reminder-fire.js';
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
  /** The set-up (channel, invites, headline, announcement) is an outbox row of the declare. */
  outbox: Outbox;
  logger: Logger;
  paging?: IncidentPaging | null;
  /** Arms the first update reminder inside the declare transaction. */
  armReminder?: (tx: PoolClient, incident: Incident) => Promise<Incident>;
  /** The service's runbook (oncall.yaml), bookmarked in the channel and linked on the card. */
  runbookFor?: (service: string) => string | undefined;
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
  outbox,
  logger,
  paging,
  armReminder,
  runbookFor,
}: IncidentServiceDeps) {
  /** After the declare commits, with the set-up's dispatch: the first reminder and paging's first timer. */
  async function afterDeclare(result: {
    incident: Incident;
    created: boolean;
    afterCommit: (() => Promise<void>) | null;
  }): Promise<void> {
    if (!result.created) return;
    const { reminderDueAt, id, reminderEpoch } = result.incident;
    await Promise.all([
      reminderDueAt
        ? outbox.wake(reminderFireJob, { incidentId: id, epoch: reminderEpoch }, { dueAt: reminderDueAt })
        : null,
      result.afterCommit?.(),
    ]);
  }

  return {
    /**
     * Declares an incident exactly once per idempotency key: the incident and its
     * `incident.declared` event commit together; Slack set-up is scheduled after the commit.
     */
    async declare(input: DeclareIncidentInput, options: { idempotencyKey: string }): Promise<DeclareResult> {
      const result = await outbox.transaction(async (tx, emit) => {
        if (!(await claimIdempotencyKey(tx, options.idempotencyKey))) {
          const existing = await findIncidentByIdempotencyKey(tx, options.idempotencyKey);
          if (!existing)
            throw new AppError('conflict', `idempotency key ${options.idempotencyKey} has no incident`);
          return { incident: existing, created: false, afterCommit: null };
        }
        const declaredAt = clock.now();
        const number = await nextIncidentNumber(tx);
        const runbookUrl = (input.service && runbookFor?.(input.service)) || null;
        const inserted = await insertIncident(tx, { ...input, runbookUrl, number, declaredAt });
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
        emit(incidentSetupJob, { incidentId: incident.id });
        if (runbookUrl)
          emit(channelBookmarkJob, { incidentId: incident.id, url: runbookUrl, title: 'Runbook' });
        // Paging starts in the same transaction: a crash after commit delays the page, never loses it.
        const afterCommit = paging?.autoPage.includes(incident.severity)
          ? await paging.startInTransaction(tx, incident.id, { service: incident.service })
          : null;
        return { incident, created: true, afterCommit };
      }, afterDeclare);
      if (result.created) {
        logger.info(
          { incident: result.incident.number, severity: result.incident.severity },
          'incident declared',
        );
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
          userMessage: noIncidentText(number),
        });
      }
      return incident;
    },
  };
}

/** The answer for a missing incident, and for one the asker may not view: the same words. */
export function noIncidentText(number: number): string {
  return `There is no incident #${number}.`;
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
