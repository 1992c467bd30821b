import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { runMigrations } from './db/migrate.js';
import { createPool, type Pool } from './db/pool.js';
import { AppError } from './errors.js';
import { createEscalationService } from './escalation/escalation-service.js';
import { loadOncallConfig, type OncallConfig } from './escalation/oncall-config.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { createHttpServer, listen, sendJson, sendText } from './http/server.js';
import { listIncidentsAwaitingSetup, listOverdueReminders } from './incidents/incident-repo.js';
import { createIncidentService } from './incidents/incident-service.js';
import { createLifecycleService } from './incidents/lifecycle-service.js';
import { createLogger, type Logger } from './logger.js';
import { findLatestPostmortem } from './postmortem/postmortem-repo.js';
import { createPostmortemService } from './postmortem/postmortem-service.js';
import { verifyPostmortemLink } from './postmortem/signed-links.js';
import { createQueues, DEFAULT_QUEUE_PREFIX, type Queues } from './queue/queues.js';
import {
  assertNoEviction,
  createProducerConnection,
  createWorkerConnection,
  type RedisConnection,
} from './queue/redis.js';
import { startWorkers, type Workers } from './queue/workers.js';
import { createIncidentPresenter } from './slack/incident-presenter.js';
import { createIncidentSetup } from './slack/incident-setup.js';
import { createMeteredFetch } from './slack/metered-fetch.js';
import { createPagingNotifier } from './slack/paging-notifier.js';
import { createPostmortemPublisher } from './slack/postmortem-publisher.js';
import { createSlackApp, createSlackClient } from './slack/slack-app.js';

export type Role = 'web' | 'worker' | 'all';

export interface BotOptions {
  config: Config;
  role: Role;
  logger?: Logger;
  clock?: Clock;
  /** Tests give each bot its own prefix so several share one Redis. */
  queuePrefix?: string;
  host?: string;
  reconcileEveryMs?: number;
  /** How long an incident's set-up may be pending before the reconciler re-enqueues it. */
  setupStaleAfterMs?: number;
  /** oncall.yaml used when ONCALL_CONFIG is unset and this file exists. */
  oncallConfigDefault?: string;
  /** Called for every Slack fetch; tests and the sandbox pass their own. */
  fetch?: typeof fetch;
}

export interface RunningBot {
  port: number;
  url: string;
  pool: Pool;
  metrics: Metrics;
  queues: Queues;
  stop(): Promise<void>;
}

/**
 * The composition root: config → logger → Postgres/Redis → services → Slack app and workers.
 * Every collaborator is built here and passed explicitly.
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
  const prefix = options.queuePrefix ?? DEFAULT_QUEUE_PREFIX;
  const metrics = createMetrics();
  const slackFetch = createMeteredFetch(metrics, options.fetch);
  const slack = {
    botToken,
    signingSecret,
    apiUrl: config.slack.apiUrl,
    fetch: slackFetch,
    appToken: config.slack.appToken,
  };

  // Workers run up to 20 timer and 8 Slack jobs at once, each needing a connection; a smaller pool
  // makes jobs queue for one, and the 1.5 s connect timeout would fail them under load.
  const pool = createPool(config.databaseUrl, {
    applicationName: `incident-bot-${role}`,
    max: role === 'web' ? 10 : 32,
  });
  const closers: Array<() => Promise<unknown>> = [() => pool.end()];
  let workers: Workers | null = null;
  // Known once the server listens; links in Slack messages use it when PUBLIC_URL is unset.
  let listeningPort = config.port;
  let server: Server | null = null;
  const stop = async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
    server?.closeAllConnections();
    if (workers) await workers.close();
    for (const close of closers.reverse()) await close().catch(() => {});
  };

  try {
    // An invalid oncall.yaml stops start-up: better no bot than a bot that pages nobody.
    const oncall = await loadOncall(config.oncallConfigPath, options.oncallConfigDefault ?? './oncall.yaml');
    if (!oncall) logger.warn('no oncall.yaml: incidents are declared but nobody is paged');
    await runMigrations(pool, logger);
    const producer = createProducerConnection(redisTarget);
    closers.push(() => producer.quit());
    await waitForRedis(producer);
    const queues = createQueues(producer, prefix);
    closers.push(() => queues.close());

    const escalation = oncall
      ? createEscalationService({ pool, clock, logger, oncall, jobs: queues.escalationJobs(logger) })
      : null;

    const lifecycleJobs = queues.lifecycleJobs(logger);
    const lifecycle = createLifecycleService({
      pool,
      clock,
      logger,
      followUps: lifecycleJobs,
      reminders: config.updateReminders,
      archiveAfterMs: config.archiveAfterMs,
      paging:
        escalation && oncall
          ? {
              autoPage: oncall.paging.autoPage,
              stop: (id, reason) => escalation.stop(id, reason),
              startIfIdle: (id, service) => escalation.start(id, { service }),
            }
          : null,
    });

    const incidents = createIncidentService({
      pool,
      clock,
      logger,
      armReminder: (tx, incident) => lifecycle.armReminderInTransaction(tx, incident),
      paging:
        escalation && oncall
          ? { autoPage: oncall.paging.autoPage, startInTransaction: escalation.startInTransaction }
          : null,
      followUps: {
        async incidentDeclared(incident) {
          if (incident.reminderDueAt) {
            await lifecycleJobs.scheduleReminder(incident.id, incident.reminderEpoch, incident.reminderDueAt);
          }
          // After commit; if Redis is down the reconciler enqueues it later.
          await queues.enqueueIncidentSetup(incident.id).catch((error) => {
            logger.warn(
              { err: error, incident: incident.number },
              'could not enqueue set-up; the reconciler will',
            );
          });
        },
      },
    });

    if (role === 'worker' || role === 'all') {
      const connection = createWorkerConnection(redisTarget);
      closers.push(async () => connection.disconnect());
      await assertNoEviction(connection);
      const client = createSlackClient(slack, logger);
      let botUserId: Promise<string> | null = null;
      const notifier = escalation ? createPagingNotifier({ pool, client, clock, logger }) : null;
      const setup = createIncidentSetup({
        afterSetup: async (id) => notifier?.notePagesSentBeforeChannel(id),
        pool,
        client,
        clock,
        logger,
        announceChannelId: config.announceChannelId,
        botUserId: () => {
          botUserId ??= client.auth.test().then((r) => r.user_id!);
          botUserId.catch(() => {
            botUserId = null;
          });
          return botUserId;
        },
      });
      const presenter = createIncidentPresenter({ pool, client, clock, logger });
      let publisherRef: ReturnType<typeof createPostmortemPublisher> | null = null;
      const postmortems = createPostmortemService({
        pool,
        clock,
        oncall,
        lookupNames: (ids) => publisherRef!.lookupNames(ids),
      });
      const publisher = createPostmortemPublisher({
        pool,
        client,
        clock,
        logger,
        postmortems,
        baseUrl: () => config.publicUrl ?? `http://${options.host ?? 'localhost'}:${listeningPort}`,
        linkSecret: signingSecret,
      });
      publisherRef = publisher;
      const staleAfter = options.setupStaleAfterMs ?? 20_000;
      workers = await startWorkers({
        connection,
        prefix,
        queues,
        metrics,
        logger,
        reconcileEveryMs: options.reconcileEveryMs,
        runIncidentSetup: (id, runOptions) => setup.run(id, runOptions),
        paging:
          escalation && notifier
            ? {
                fireStep: (timer) => escalation.fireStep(timer),
                fireAckTimeout: (timer) => escalation.fireAckTimeout(timer),
                sendPage: (pageId, sendOptions) => notifier.sendPage(pageId, sendOptions),
                // The headline shows who acknowledged, or that nobody did.
                announceAcknowledged: async (id) => {
                  await notifier.announceAcknowledged(id);
                  await presenter.refresh(id);
                },
                announceExhausted: async (id) => {
                  await notifier.announceExhausted(id);
                  await presenter.refresh(id);
                },
              }
            : null,
        lifecycle: {
          refresh: (id) => presenter.refresh(id),
          postUpdate: (id, text, by) => presenter.postUpdate(id, text, by),
          sendReminder: (id) => presenter.sendReminder(id),
          fireReminder: (id, epoch) => lifecycle.fireReminder(id, epoch),
          publishPostmortem: (id, by) => publisher.publish(id, by),
          archive: (id, closedAtMs) => presenter.archive(id, closedAtMs),
        },
        async reconcile() {
          await escalation?.reconcile();
          for (const incident of await listOverdueReminders(pool, new Date(clock.now().getTime() - 2000))) {
            await lifecycleJobs.scheduleReminder(
              incident.id,
              incident.reminderEpoch,
              incident.reminderDueAt!,
            );
          }
          const pending = await listIncidentsAwaitingSetup(
            pool,
            new Date(clock.now().getTime() - staleAfter),
          );
          for (const incident of pending) {
            await queues.enqueueIncidentSetup(incident.id, { fromReconciler: true });
          }
          if (pending.length > 0)
            logger.info({ count: pending.length }, 'reconciler re-enqueued incident set-ups');
        },
      });
    }

    let slackListener = null;
    if (role === 'web' || role === 'all') {
      const slackApp = createSlackApp({
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
      await slackApp.app.init();
      slackListener = slackApp.requestListener;
      closers.push(await slackApp.connect());
    }

    server = createHttpServer({
      slackListener,
      metrics,
      logger,
      // Signed, expiring links to the latest postmortem draft (see postmortem/signed-links.ts).
      fallback: async (req, res) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const check = verifyPostmortemLink(signingSecret, url.pathname, url.searchParams, clock.now());
        if (!check.ok) {
          const why = {
            malformed: 'not a postmortem link',
            bad_signature: 'this link is not valid',
            expired: 'this link has expired; ask the bot for a new one with /incident postmortem',
          };
          return sendText(res, check.reason === 'malformed' ? 404 : 403, `${why[check.reason]}\n`);
        }
        const postmortem = await findLatestPostmortem(pool, check.incidentId);
        if (!postmortem) return sendText(res, 404, 'no postmortem draft for this incident yet\n');
        res.setHeader('content-disposition', `inline; filename="incident-${check.incidentId}-postmortem.md"`);
        sendText(res, 200, postmortem.markdown, 'text/markdown; charset=utf-8');
      },
      routes: {
        '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok', role }),
        '/readyz': async (_req, res) => {
          const [postgres, redis] = await Promise.all([
            withTimeout(pool.query('SELECT 1'), 1000).then(
              () => 'ok',
              () => 'unreachable',
            ),
            withTimeout(producer.ping(), 1000).then(
              () => 'ok',
              () => 'unreachable',
            ),
          ]);
          const ready = postgres === 'ok' && redis === 'ok';
          sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', postgres, redis });
        },
        '/metrics': async (_req, res) =>
          sendText(res, 200, await metrics.registry.metrics(), metrics.registry.contentType),
      },
    });
    const port = await listen(server, config.port, options.host);
    listeningPort = port;
    const url = `http://${options.host ?? 'localhost'}:${port}`;
    logger.info({ role, port }, 'incident-bot started');
    return { port, url, pool, metrics, queues, stop };
  } catch (error) {
    await stop();
    throw error;
  }
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

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
