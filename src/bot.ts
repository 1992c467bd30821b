import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { runMigrations } from './db/migrate.js';
import { createPool, type Pool } from './db/pool.js';
import { AppError } from './errors.js';
import { createEscalationService } from './escalation/escalation-service.js';
import { loadOncallConfig, type OncallConfig } from './escalation/oncall-config.js';
import { createPageDelivery } from './escalation/page-delivery.js';
import { createPageNotes } from './escalation/page-notes.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { metricsRoutes, operationalRoutes, postmortemLinkRoute } from './http/routes.js';
import { createHttpServer, listen } from './http/server.js';
import { createIncidentCards } from './incidents/incident-card.js';
import { findIncidentById } from './incidents/incident-repo.js';
import { createIncidentService } from './incidents/incident-service.js';
import { createIncidentSetupStore } from './incidents/incident-setup-store.js';
import { createLifecycleService } from './incidents/lifecycle-service.js';
import { findSlackPresence } from './incidents/slack-presence-repo.js';
import { jobCatalogue } from './jobs/catalogue.js';
import { createOutbox } from './jobs/outbox.js';
import { createQueues, DEFAULT_QUEUE_PREFIX, type Queues } from './jobs/queues.js';
import { createReconciler } from './jobs/reconciler.js';
import { createRetentionSweep } from './jobs/retention-sweep.js';
import { startWorkers, type Workers } from './jobs/workers.js';
import { createLogger, type Logger } from './logger.js';
import { loadOrCreateLinkKey } from './postmortem/link-keys-repo.js';
import { recordPostmortemFile } from './postmortem/postmortem-repo.js';
import { createPostmortemService } from './postmortem/postmortem-service.js';
import { linkKeys as toLinkKeys } from './postmortem/signed-links.js';
import {
  assertNoEviction,
  createProducerConnection,
  createWorkerConnection,
  type RedisConnection,
} from './queue/redis.js';
import { createChannelBookmarks } from './slack/channel-bookmarks.js';
import { createIncidentPresenter } from './slack/incident-presenter.js';
import { createIncidentSetup } from './slack/incident-setup.js';
import { createMeteredFetch } from './slack/metered-fetch.js';
import { createPagingNotifier } from './slack/paging-notifier.js';
import { createPostmortemPublisher } from './slack/postmortem-publisher.js';
import { createSlackApp, createSlackClient } from './slack/slack-app.js';
import { createUserNames } from './slack/user-names.js';
import { withTimeout } from './with-timeout.js';

export type Role = 'web' | 'worker' | 'all';

export interface BotOptions {
  config: Config;
  role: Role;
  logger?: Logger;
  clock?: Clock;
  /** Tests give each bot its own prefix so several share one Redis. */
  queuePrefix?: string;
  host?: string;
  /** How often the reconciler job runs (default 15 s). */
  reconcileEveryMs?: number;
  /** Overrides every outbox job's deadline (how long a row may stay not done before it is re-enqueued). */
  outboxDeadlineMs?: number;
  /** oncall.yaml used when ONCALL_CONFIG is unset and this file exists. */
  oncallConfigDefault?: string;
  /** Called for every Slack fetch; tests and the sandbox pass their own. */
  fetch?: typeof fetch;
}

export interface RunningBot {
  port: number;
  url: string;
  /** Where /metrics is served (METRICS_PORT); null when it is not. */
  metricsUrl: string | null;
  pool: Pool;
  metrics: Metrics;
  queues: Queues;
  stop(): Promise<void>;
}

/**
 * The composition root: config → logger → Postgres/Redis → services → HTTP (Slack app, routes) and
 * workers. Every collaborator is built here and passed explicitly; nothing else happens here.
 */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { config, role } = options;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  const { botToken, signingSecret } = config.slack;
  const redisTarget = config.redisClusterNodes ?? config.redisUrl;
  if (!config.databaseUrl || !redisTarget || !botToken || !signingSecret) {
    throw new AppError(
      'config_invalid',
      'startBot needs DATABASE_URL, REDIS_URL, SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET',
    );
  }
  const metrics = createMetrics();
  const slack = {
    botToken,
    signingSecret,
    apiUrl: config.slack.apiUrl,
    fetch: createMeteredFetch(metrics, options.fetch),
    appToken: config.slack.appToken,
  };
  // Workers run up to 50 timer and 8 Slack jobs at once, each needing a connection; a smaller pool
  // makes jobs queue for one, and the 1.5 s connect timeout would fail them under load.
  const pool = createPool(config.databaseUrl, {
    applicationName: `incident-bot-${role}`,
    max: role === 'web' ? 10 : 32,
    statementTimeoutMs: config.statementTimeoutMs,
  });
  const closers: Array<() => Promise<unknown>> = [() => pool.end()];
  let workers: Workers | null = null;
  let server: Server | null = null;
  let metricsServer: Server | null = null;
  const stop = async () => {
    for (const listener of [server, metricsServer]) {
      if (listener) await new Promise((resolve) => listener.close(resolve));
      listener?.closeAllConnections();
    }
    if (workers) await workers.close();
    for (const close of closers.reverse()) await close().catch(() => {});
  };

  try {
    // An invalid oncall.yaml stops start-up: better no bot than a bot that pages nobody.
    const oncall = await loadOncall(config.oncallConfigPath, options.oncallConfigDefault ?? './oncall.yaml');
    if (!oncall) logger.warn('no oncall.yaml: incidents are declared but nobody is paged');
    await runMigrations(pool, logger);
    // Postmortem links have keys of their own, never derived from a Slack secret (see SECURITY.md).
    const linkKeys = toLinkKeys(config.linkSigningKeys ?? [await loadOrCreateLinkKey(pool)]);
    const producer = createProducerConnection(redisTarget);
    closers.push(() => producer.quit());
    await waitForRedis(producer);
    const queues = createQueues(producer, options.queuePrefix ?? DEFAULT_QUEUE_PREFIX);
    closers.push(() => queues.close());
    const outbox = createOutbox({
      pool,
      clock,
      logger,
      enqueuer: queues,
      jobNamed: (name) => jobCatalogue.get(name),
      ...(options.outboxDeadlineMs ? { deadlineMs: options.outboxDeadlineMs } : {}),
    });

    const escalation = oncall ? createEscalationService({ pool, clock, logger, oncall, outbox }) : null;
    const paging = escalation && oncall ? { autoPage: oncall.paging.autoPage } : null;
    const lifecycle = createLifecycleService({
      pool,
      clock,
      logger,
      outbox,
      reminders: config.updateReminders,
      archiveAfterMs: config.archiveAfterMs,
      paging:
        escalation && paging
          ? {
              ...paging,
              stop: (id, reason) => escalation.stop(id, reason),
              startIfIdle: (id, service) => escalation.start(id, { service }),
            }
          : null,
    });
    const incidents = createIncidentService({
      pool,
      clock,
      logger,
      outbox,
      runbookFor: (service) => oncall?.services[service]?.runbook,
      armReminder: (tx, incident) => lifecycle.armReminderInTransaction(tx, incident),
      paging: escalation && paging ? { ...paging, startInTransaction: escalation.startInTransaction } : null,
    });

    const slackApp =
      role === 'worker'
        ? null
        : createSlackApp({
            slack,
            incidents,
            escalation,
            lifecycle,
            oncall,
            pool,
            clock,
            logger,
            defaultSeverity: config.defaultSeverity,
          });
    if (slackApp) {
      await slackApp.app.init();
      // Socket Mode (SLACK_APP_TOKEN) connects out to Slack; over HTTP this is a no-op.
      closers.push(await slackApp.connect());
    }
    server = createHttpServer({
      slackListener: slackApp?.requestListener ?? null,
      metrics,
      logger,
      fallback: postmortemLinkRoute({ pool, clock, linkKeys }),
      routes: operationalRoutes({ role, pool, redis: producer }),
    });
    const port = await listen(server, config.port, options.host);
    const url = `http://${options.host ?? 'localhost'}:${port}`;
    let metricsUrl: string | null = null;
    if (config.metricsPort !== undefined) {
      metricsServer = createHttpServer({
        slackListener: null,
        metrics,
        logger,
        routes: metricsRoutes(metrics),
      });
      const metricsPort = await listen(metricsServer, config.metricsPort, options.host);
      metricsUrl = `http://${options.host ?? 'localhost'}:${metricsPort}`;
    }

    if (role === 'worker' || role === 'all') {
      const connection = createWorkerConnection(redisTarget);
      closers.push(async () => connection.disconnect());
      await assertNoEviction(connection);
      const client = createSlackClient(slack, logger);
      const incidents = { find: (id: number) => findIncidentById(pool, id) };
      const presence = { find: (id: number) => findSlackPresence(pool, id) };
      const notifier = escalation
        ? createPagingNotifier({
            notes: createPageNotes({ pool }),
            presence,
            delivery: createPageDelivery({ pool, clock }),
            client,
            clock,
            logger,
          })
        : null;
      const postmortems = createPostmortemService({
        pool,
        clock,
        oncall,
        lookupNames: createUserNames(client).lookupNames,
      });
      workers = await startWorkers({
        connection,
        prefix: options.queuePrefix ?? DEFAULT_QUEUE_PREFIX,
        queues,
        pool,
        clock,
        metrics,
        logger,
        reconcileEveryMs: options.reconcileEveryMs,
        jobs: {
          setup: createIncidentSetup({
            store: createIncidentSetupStore({ pool, clock }),
            client,
            logger,
            announceChannelId: config.announceChannelId,
            botUserId: cachedBotUserId(() => client.auth.test().then((r) => r.user_id!)),
            afterSetup: async (id) => notifier?.notePagesSentBeforeChannel(id),
          }),
          bookmarks: createChannelBookmarks({
            client,
            channelOf: async (id) => (await lifecycle.get(id).catch(() => null))?.channelId ?? null,
          }),
          presenter: createIncidentPresenter({
            incidents,
            presence,
            cards: createIncidentCards(pool),
            client,
            clock,
            logger,
          }),
          publisher: createPostmortemPublisher({
            incidents,
            recordFile: (postmortemId, fileId) => recordPostmortemFile(pool, postmortemId, fileId),
            client,
            logger,
            postmortems,
            baseUrl: () => config.publicUrl ?? url,
            linkKeys,
          }),
          lifecycle,
          escalation,
          notifier,
          reconciler: createReconciler({ pool, clock, logger, outbox, escalation }),
          retention: createRetentionSweep({ pool, clock, logger, retentionDays: config.retentionDays }),
        },
      });
    }
    logger.info({ role, port, metricsUrl }, 'incident-bot started');
    return { port, url, metricsUrl, pool, metrics, queues, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The bot's own user id, asked of Slack once (again after a failure). */
function cachedBotUserId(ask: () => Promise<string>): () => Promise<string> {
  let answer: Promise<string> | null = null;
  return () => {
    answer ??= ask();
    answer.catch(() => {
      answer = null;
    });
    return answer;
  };
}

async function loadOncall(path: string | undefined, fallback: string): Promise<OncallConfig | null> {
  if (path) return loadOncallConfig(path);
  return existsSync(fallback) ? loadOncallConfig(fallback) : null;
}

async function waitForRedis(redis: RedisConnection, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return;
  await withTimeout(new Promise<void>((resolve) => redis.once('ready', () => resolve())), timeoutMs).catch(
    () => {
      throw new AppError('queue_unavailable', `Redis at REDIS_URL did not answer within ${timeoutMs} ms`);
    },
  );
}
