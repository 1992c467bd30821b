import { z } from 'zod';
import type { AlertIncidents } from '../alerts/alert-incidents.js';
import type { AlertPresenter } from '../alerts/alert-types.js';
import type { HeartbeatService } from '../alerts/heartbeats.js';
import type { Maintenance } from '../alerts/maintenance.js';
import type { CoverService } from '../escalation/cover-service.js';
import type { EscalationService } from '../escalation/escalation-service.js';
import type { HandoffService } from '../escalation/handoff-service.js';
import type { NotifyTests } from '../escalation/notify-tests.js';
import type { OverrideRetention } from '../escalation/override-service.js';
import type { IncidentSetup } from '../incidents/incident-service.js';
import type { LifecycleService } from '../incidents/lifecycle-service.js';
import type { ChannelBookmarks } from '../slack/channel-bookmarks.js';
import type { CoverMessenger } from '../slack/cover-messenger.js';
import type { DeliveryNotifier } from '../slack/delivery-notifier.js';
import type { IncidentPresenter } from '../slack/incident-presenter.js';
import type { MaintenanceAnnouncer } from '../slack/maintenance-announcer.js';
import type { OverrideAnnouncer } from '../slack/override-announcer.js';
import type { PageSender } from '../slack/page-sender.js';
import type { PagingNotifier } from '../slack/paging-notifier.js';
import type { PostmortemPublisher } from '../slack/postmortem-publisher.js';
import type { ShiftNotifier } from '../slack/shift-notifier.js';
import type { UsergroupSync } from '../slack/usergroup-sync.js';
import type { Reconciler } from './reconciler.js';
import type { RetentionSweep } from './retention-sweep.js';

/**
 * The three queues. A Slack 429 storm slows only `slack`: escalation timers never wait behind it,
 * and page DMs go through `pages` with a Slack client of their own (@slack/web-api pauses every call
 * of a client while one waits out a Retry-After), so a rate-limited card refresh never holds a page.
 * Names share the hash-tagged prefix (see jobs/queues.ts) so BullMQ works on Redis Cluster.
 */
export const QueueName = {
  /** Everything else that talks to Slack: retried with backoff, may be slow under 429s. */
  slack: 'slack-sends',
  /** Page DMs and their edits (nothing cosmetic): their own worker and Slack client. */
  pages: 'page-sends',
  /** Short database jobs that must stay on time: escalation steps, reminders, the reconciler. */
  timers: 'timers',
} as const;
export type QueueKey = keyof typeof QueueName;

/** BullMQ retry options of a job (a subset of BullMQ's JobsOptions, so the catalogue needs no BullMQ). */
export interface JobOptions {
  /** Runs before the job fails for good. */
  attempts: number;
  backoff: { type: 'exponential'; delay: number; jitter?: number };
}

/** What a handler may call: the services and adapters built by the composition root. */
export interface JobDeps {
  setup: IncidentSetup;
  presenter: IncidentPresenter;
  publisher: PostmortemPublisher;
  bookmarks: ChannelBookmarks;
  lifecycle: LifecycleService;
  /** Null without an oncall.yaml: paging jobs are then never enqueued. */
  escalation: EscalationService | null;
  notifier: PagingNotifier | null;
  /** Page DMs, on the `pages` queue with their own Slack client. Null without an oncall.yaml. */
  pages: PageSender | null;
  /** Steps of people's notification rules (email, SMS, calls, push). Null without an oncall.yaml. */
  deliveries: { send(deliveryId: number): Promise<unknown> } | null;
  /** Failed steps said in the incident (or alert) channel. Null without an oncall.yaml. */
  deliveryNotifier: DeliveryNotifier | null;
  reconciler: Reconciler;
  overrideAnnouncer: OverrideAnnouncer;
  overridesRetention: OverrideRetention;
  retention: RetentionSweep;
  /** Maintenance window ends (null without an oncall.yaml or alert paging). */
  maintenance: Maintenance | null;
  maintenanceAnnouncer: MaintenanceAnnouncer;
  /** Heartbeat misses (null without an oncall.yaml or alert intake). */
  heartbeats: HeartbeatService | null;
  /** Incidents declared from alert groups (`alert-group.declare`). */
  alertIncidents: AlertIncidents;
  /** An alert group's page DMs and channel message (`alert-group.refresh`). Null without an oncall.yaml. */
  alertPresenter: AlertPresenter | null;
  /** Cover requests (expiry) and their Slack copies. Null without an oncall.yaml. */
  cover: CoverService | null;
  coverMessenger: CoverMessenger | null;
  /** Handoff timers (user groups, shift notices). Null without an oncall.yaml. */
  handoffs: HandoffService | null;
  /** Schedules' Slack user groups. Null without an oncall.yaml. */
  usergroups: UsergroupSync | null;
  /** Shift DMs and handoff messages. */
  shiftNotifier: ShiftNotifier;
  /** Test notifications (`/incident oncall me`). Null without an oncall.yaml. */
  notifyTests: NotifyTests | null;
}

/** How this run of a job came about. */
export interface JobRun {
  /** An earlier run may have done the external call and died before recording it: look first. */
  mayRepeat: boolean;
  /** No retry follows this run. */
  finalAttempt: boolean;
  /** The job's key (outbox key and BullMQ job id), e.g. for message metadata. */
  key: string;
}

/**
 * Where a job's durable record lives.
 * - `outbox`: a row of the outbox table written in the transaction of the change; the job marks it
 *   done; the reconciler re-enqueues it past its deadline.
 * - `state`: the domain's own table is the record (escalation state for step timers, page rows for
 *   page sends, `reminder_due_at` for reminders); it is enqueued after commit and the reconciler
 *   re-enqueues it from that table. These are the hot paths of paging, kept to one statement each.
 */
export type Durability = 'outbox' | 'state';

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  queue: QueueKey;
  durability: Durability;
  payload: S;
  /** The idempotency key: the outbox row's key and the BullMQ job id (no `:`, never all digits). */
  key(payload: z.infer<S>): string;
  options: JobOptions;
  /** Outbox jobs: how long a row may stay not done before the reconciler re-enqueues it. */
  deadlineMs?: number;
  /** Outbox jobs: a new request while a row is pending renews that row (card refreshes). */
  coalesce?: boolean;
  /** Calls one service or adapter method. */
  handle(deps: JobDeps, payload: z.infer<S>, run: JobRun): Promise<unknown>;
}

export type OutboxJob<S extends z.ZodType = z.ZodType> = JobDefinition<S> & { durability: 'outbox' };

export function defineJob<S extends z.ZodType, D extends Durability>(
  definition: JobDefinition<S> & { durability: D },
): JobDefinition<S> & { durability: D } {
  return definition;
}

/**
 * A job a BullMQ job scheduler runs every so often (see jobs/workers.ts): no payload, one id, one
 * attempt (the next period is the retry). Its work must be idempotent, so one schedule shared by
 * every worker process is enough.
 */
export function definePeriodicJob(name: string, handle: (deps: JobDeps) => Promise<unknown>) {
  return defineJob({
    name,
    queue: 'timers',
    durability: 'state',
    payload: z.object({}),
    key: () => name.replaceAll('.', '-'),
    options: { attempts: 1, backoff: { type: 'exponential', delay: 1000 } },
    handle,
  });
}

/** Escalation timers are short DB jobs: many quick retries; ids carry the epoch, so duplicates are no-ops. */
export const TIMER_OPTIONS: JobOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
};

/** Slack calls: retried with backoff (429s are waited out by the client before a retry). */
export const SLACK_OPTIONS: JobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.2 },
};

/** Default deadline of an outbox row: a Slack job normally finishes well within it. */
export const DEFAULT_DEADLINE_MS = 30_000;

/** The payload of most incident jobs. */
export const incidentRef = z.object({ incidentId: z.number().int().positive() });

/**
 * The payload of an escalation timer: the escalation's id, its epoch and `fields`. A timer queued
 * before escalations had ids of their own names its incident, whose id its escalation took over
 * (migrations/0013_escalation_subjects.sql), so it is read as that escalation's.
 */
export function escalationRef<F extends z.ZodRawShape>(fields: F) {
  const legacy = (data: unknown) =>
    data && typeof data === 'object' && 'incidentId' in data && !('escalationId' in data)
      ? { ...data, escalationId: (data as { incidentId: unknown }).incidentId }
      : data;
  return z.preprocess(
    legacy,
    z.object({ escalationId: z.number().int().positive(), epoch: z.number().int().min(0), ...fields }),
  );
}
