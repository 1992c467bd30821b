import type { Clock } from '../clock.js';
import type { Pool, PoolClient } from '../db/pool.js';
import { AppError } from '../errors.js';
import { channelBookmarkJob } from '../jobs/channel-bookmark.js';
import { incidentSetupJob } from '../jobs/incident-setup.js';
import type { Outbox } from '../jobs/outbox.js';
import { reminderFireJob } from '../jobs/reminder-fire.js';
import type { Logger } from '../logger.js';
import { appendTimelineEvent } from '../timeline/timeline-repo.js';
import { createIncidentQueries } from './incident-queries.js';
import {
  bindIdempotencyKey,
  claimIdempotencyKey,
  findIncidentByIdempotencyKey,
  insertIncident,
  nextIncidentNumber,
} from './incident-repo.js';
import type { DeclareIncidentInput, Incident, Severity } from './incident-types.js';

// The set-up lives in its own file; its names are imported from here too.
export {
  createIncidentSetup,
  type IncidentSetup,
  type IncidentSetupDeps,
  type SetupRunOptions,
} from './incident-setup.js';

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
  services?: Readonly<Record<string, { runbook?: string | undefined }>> | undefined;
}

export interface DeclareResult {
  incident: Incident;
  /** False when the idempotency key had been used: a retry, a double submit or a double click. */
  created: boolean;
}

export interface DeclareOptions {
  /** One per request that may be repeated (a view id, a command's trigger, an alert group). */
  idempotencyKey: string;
  /**
   * `auto` (default): paging starts when `paging.auto_page` lists the severity. `always`: it starts
   * whatever the severity (an incident declared from an alert pages instead of the alert).
   */
  page?: 'auto' | 'always';
}

/** A declare inside a transaction; `afterCommit` is paging's, run by `afterDeclare`. */
export interface DeclareOutcome extends DeclareResult {
  afterCommit: (() => Promise<void>) | null;
}

/** How effects are requested inside `outbox.transaction` (its `emit`). */
export type OutboxEmit = Parameters<Parameters<Outbox['transaction']>[0]>[1];

export type IncidentService = ReturnType<typeof createIncidentService>;

/**
 * Declaring an incident, then (in the background) setting up its workspace: the use cases that
 * take `/incident create` from the command to a channel.
 */
export function createIncidentService({
  pool,
  clock,
  outbox,
  logger,
  paging,
  armReminder,
  services,
}: IncidentServiceDeps) {
  /** After the declare commits, with the set-up's dispatch: the first reminder and paging's first timer. */
  async function afterDeclare(result: DeclareOutcome): Promise<void> {
    if (!result.created) return;
    const { reminderDueAt, id, reminderEpoch } = result.incident;
    await Promise.all([
      reminderDueAt
        ? outbox.wake(reminderFireJob, { incidentId: id, epoch: reminderEpoch }, { dueAt: reminderDueAt })
        : null,
      result.afterCommit?.(),
    ]);
  }

  /**
   * The declare itself, in the caller's transaction: the incident and its `incident.declared` event,
   * exactly once per idempotency key, with the set-up's outbox rows and (per `page`) paging's start.
   * Hand the result to `afterDeclare` once the transaction committed.
   */
  async function declareInTransaction(
    tx: PoolClient,
    emit: OutboxEmit,
    input: DeclareIncidentInput,
    options: DeclareOptions,
  ): Promise<DeclareOutcome> {
    if (!(await claimIdempotencyKey(tx, options.idempotencyKey))) {
      const existing = await findIncidentByIdempotencyKey(tx, options.idempotencyKey);
      if (!existing)
        throw new AppError('conflict', `idempotency key ${options.idempotencyKey} has no incident`);
      return { incident: existing, created: false, afterCommit: null };
    }
    const declaredAt = clock.now();
    const number = await nextIncidentNumber(tx);
    const runbookUrl = input.runbookUrl || (input.service && services?.[input.service]?.runbook) || null;
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
    if (runbookUrl) emit(channelBookmarkJob, { incidentId: incident.id, url: runbookUrl, title: 'Runbook' });
    // Paging starts in the same transaction: a crash after commit delays the page, never loses it.
    const pages = options.page === 'always' || paging?.autoPage.includes(incident.severity);
    const afterCommit =
      paging && pages
        ? await paging.startInTransaction(tx, incident.id, { service: incident.service })
        : null;
    return { incident, created: true, afterCommit };
  }

  return {
    ...createIncidentQueries(pool),
    declareInTransaction,
    afterDeclare,

    /**
     * Declares an incident exactly once per idempotency key: the incident and its
     * `incident.declared` event commit together; Slack set-up is scheduled after the commit.
     */
    async declare(input: DeclareIncidentInput, options: DeclareOptions): Promise<DeclareResult> {
      const result = await outbox.transaction(
        (tx, emit) => declareInTransaction(tx, emit, input, options),
        afterDeclare,
      );
      logDeclared(result);
      return { incident: result.incident, created: result.created };
    },

    logDeclared,
  };

  function logDeclared(result: DeclareResult): void {
    if (result.created)
      logger.info(
        { incident: result.incident.number, severity: result.incident.severity },
        'incident declared',
      );
  }
}
