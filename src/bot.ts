import { createAlertIncidents } from './alerts/alert-incidents.js';
import { createAlertOps } from './alerts/alert-ops.js';
import { createAlertReadModel } from './alerts/alert-read-model.js';
import { createAlertService, DEFAULT_GROUP_WINDOW_MS } from './alerts/alert-service.js';
import type { AlertPaging } from './alerts/alert-types.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { runMigrations } from './db/migrate.js';
import { createPool, type Pool } from './db/pool.js';
import { createAlertPaging } from './escalation/alert-paging.js';
import { createCalendarService } from './escalation/calendar-service.js';
import { createCoverDelivery } from './escalation/cover-delivery.js';
import { createCoverService } from './escalation/cover-service.js';
import { createDeliverySteps } from './escalation/delivery-steps.js';
import { createEscalationJobs } from './escalation/escalation-jobs.js';
import { createEscalationService } from './escalation/escalation-service.js';
import { createHandoffService } from './escalation/handoff-service.js';
import { OncallConfigError } from './escalation/oncall-config.js';
import { createOverrideRetention, createOverrideService } from './escalation/override-service.js';
import { createPageAck } from './escalation/page-ack.js';
import { createPageDelivery } from './escalation/page-delivery.js';
import { createPageNotes } from './escalation/page-notes.js';
import { providerProblems } from './escalation/people.js';
import { alertRoutes } from './http/alert-routes.js';
import { CALENDAR_PATH_PREFIX, calendarFeedPath, calendarFeedRoute } from './http/calendar-route.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { pageAckRoutes } from './http/page-ack-routes.js';
import { metricsRoutes, operationalRoutes, postmortemLinkRoute } from './http/routes.js';
import { createHttpServer, listen } from './http/server.js';
import { createIncidentCards } from './incidents/incident-card.js';
import { createIncidentService, createIncidentSetup } from './incidents/incident-service.js';
import { createIncidentSetupStore } from './incidents/incident-setup-store.js';
import { createLifecycleService } from './incidents/lifecycle-service.js';
import { createReadModel } from './incidents/read-model.js';
import { jobCatalogue } from './jobs/catalogue.js';
import { createOutbox } from './jobs/outbox.js';
import { createQueues, DEFAULT_QUEUE_PREFIX, type Queues } from './jobs/queues.js';
import { createReconciler } from './jobs/reconciler.js';
import { createRetentionSweep } from './jobs/retention-sweep.js';
import { startWorkers } from './jobs/workers.js';
import { createLogger, type Logger } from './logger.js';
import { createNotifications } from './notify/notifications.js';
import { configuredChannels } from './notify/providers.js';
import { loadOrCreateLinkKey } from './postmortem/link-keys-repo.js';
import { recordPostmortemFile } from './postmortem/postmortem-repo.js';
import { createPostmortemService } from './postmortem/postmortem-service.js';
import { linkKeys as toLinkKeys } from './postmortem/signed-links.js';
import { assertNoEviction, createProducerConnection, createWorkerConnection } from './queue/redis.js';
import { createAlertPresenter } from './slack/alert-presenter.js';
import { createChannelBookmarks } from './slack/channel-bookmarks.js';
import { createCoverMessenger } from './slack/cover-messenger.js';
import { createDeliveryNotifier } from './slack/delivery-notifier.js';
import { createIncidentPresenter } from './slack/incident-presenter.js';
import { createMaintenanceAnnouncer } from './slack/maintenance-announcer.js';
import { createMeteredFetch } from './slack/metered-fetch.js';
import { createNotifyTestReporter } from './slack/notify-test-reporter.js';
import { createOverrideAnnouncer } from './slack/override-announcer.js';
import { createPageSender } from './slack/page-sender.js';
import { createPagingNotifier } from './slack/paging-notifier.js';
import { createPostmortemPublisher } from './slack/postmortem-publisher.js';
import { createShiftNotifier } from './slack/shift-notifier.js';
import { createSlackApp, createSlackClient } from './slack/slack-app.js';
import { createSlackWorkspace } from './slack/slack-workspace.js';
import { createUserNames } from './slack/user-names.js';
import { createUsergroupSync } from './slack/usergroup-sync.js';
import { createShutdown, loadOncall, requireBotSettings, waitForRedis } from './startup.js';

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
  /**
   * A Slack call made inside a database transaction fails (tests) instead of being logged as an
   * error (production): no transaction may wait on Slack.
   */
  strictTransactions?: boolean;
  /** TLS options of the SMTP connection (tests: a local server with a self-signed certificate). */
  emailTls?: { rejectUnauthorized: boolean };
}

export interface RunningBot {
  port: number;
  url: string;
  /** Where /metrics is served (METRICS_PORT); null when it is not. */
  metricsUrl: string | null;
  pool: Pool;
  metrics: Metrics;
  queues: Queues;
  /** Alert groups' paging (what alert intake starts and stops); null without an oncall.yaml. */
  alertPaging: AlertPaging | null;
  stop(): Promise<void>;
}

/**
 * The composition root: config → logger → Postgres/Redis → services → HTTP (Slack app, routes) and
 * workers. Every collaborator is built here and passed explicitly; nothing else happens here.
 */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { config, role } = options;
  const { databaseUrl, redisTarget, botToken, signingSecret } = requireBotSettings(config);
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  const prefix = options.queuePrefix ?? DEFAULT_QUEUE_PREFIX;
  const metrics = createMetrics();
  const slack = {
    botToken,
    signingSecret,
    apiUrl: config.slack.apiUrl,
    fetch: createMeteredFetch(metrics, options.fetch, (error) => {
      if (options.strictTransactions) throw error;
      logger.error({ err: error, method: error.method }, 'Slack call inside a database transaction');
    }),
    appToken: config.slack.appToken,
  };
  // Workers run up to 50 timer, 8 Slack and 8 page jobs at once, each needing a connection; a smaller pool
  // makes jobs queue for one, and the 1.5 s connect timeout would fail them under load.
  const pool = createPool(databaseUrl, {
    applicationName: `incident-bot-${role}`,
    max: role === 'web' ? 10 : 32,
    statementTimeoutMs: config.statementTimeoutMs,
  });
  const shutdown = createShutdown();
  shutdown.add(() => pool.end());

  try {
    // An invalid oncall.yaml stops start-up: better no bot than a bot that pages nobody.
    const oncall = await loadOncall(
      config.oncallConfigPath,
      options.oncallConfigDefault ?? './oncall.yaml',
      config.oncallEnv,
    );
    if (!oncall) logger.warn('no oncall.yaml: incidents are declared but nobody is paged');
    // A rule whose channel has no provider would page nobody that way: refused, as config:check does.
    const unreachable = oncall ? providerProblems(oncall.people, configuredChannels(config.providers)) : [];
    if (unreachable.length > 0) throw new OncallConfigError(oncall!.source, unreachable);
    await runMigrations(pool, logger);
    // Postmortem links have keys of their own, never derived from a Slack secret (see SECURITY.md).
    const linkKeys = toLinkKeys(config.linkSigningKeys ?? [await loadOrCreateLinkKey(pool)]);
    const producer = createProducerConnection(redisTarget);
    shutdown.add(() => producer.quit());
    await waitForRedis(producer);
    const queues = createQueues(producer, prefix, clock);
    shutdown.add(() => queues.close());
    const outbox = createOutbox({
      pool,
      clock,
      logger,
      enqueuer: queues,
      jobNamed: (name) => jobCatalogue.get(name),
      ...(options.outboxDeadlineMs ? { deadlineMs: options.outboxDeadlineMs } : {}),
    });
    const readModel = createReadModel({ pool, oncall });

    const escalation = oncall ? createEscalationService({ pool, clock, logger, oncall, outbox }) : null;
    const handoffs = oncall ? createHandoffService({ pool, clock, logger, oncall, outbox }) : null;
    const overrides = oncall ? createOverrideService({ pool, clock, oncall, outbox, handoffs }) : null;
    const alertReads = createAlertReadModel({ pool, oncall });
    const alertPaging = escalation ? createAlertPaging({ escalation, outbox }) : null;
    const calendar = oncall ? createCalendarService({ pool, clock, oncall }) : null;
    // Links the bot hands out point at PUBLIC_URL, or where it listens (known once it does).
    const baseUrl = () => (config.publicUrl ?? url).replace(/\/$/, '');
    const cover = oncall && overrides ? createCoverService({ pool, clock, oncall, outbox, overrides }) : null;
    // Delivery channels from the environment (people's steps), test notifications, Twilio's call status.
    const { notifyTests, callStatus, senders } = createNotifications({
      pool,
      clock,
      outbox,
      config,
      oncall,
      baseUrl,
      reporter: createNotifyTestReporter({ client: createSlackClient(slack, logger) }),
      emailTls: options.emailTls,
    });
    const lifecycle = createLifecycleService({
      pool,
      clock,
      logger,
      outbox,
      reminders: config.updateReminders,
      archiveAfterMs: config.archiveAfterMs,
      paging: escalation,
    });
    const incidents = createIncidentService({
      pool,
      clock,
      logger,
      outbox,
      services: oncall?.services,
      armReminder: lifecycle.armReminderInTransaction,
      paging: escalation,
    });
    const declareSeverity = (service: string) => oncall?.services[service]?.alerts.declare;
    const alertIncidents = createAlertIncidents({
      pool,
      clock,
      outbox,
      logger,
      incidents,
      declareSeverity,
      paging: alertPaging,
    });
    const alerts = createAlertService({
      pool,
      clock,
      outbox,
      paging: alertPaging,
      groupWindowMs: oncall?.paging.groupWindowMs ?? DEFAULT_GROUP_WINDOW_MS,
      incidents: alertIncidents,
      declares: (service) => declareSeverity(service) !== undefined,
    });
    const alertOps = createAlertOps({
      pool,
      clock,
      outbox,
      oncall,
      paging: alertPaging,
      intake: alerts,
      incidents: alertIncidents,
    });

    const slackApp =
      role === 'worker'
        ? null
        : createSlackApp({
            slack,
            incidents,
            escalation,
            overrides,
            cover,
            lifecycle,
            oncall,
            calendar: calendar && {
              service: calendar,
              url: (token) => `${baseUrl()}${calendarFeedPath(token)}`,
            },
            readModel,
            pagedUsers: readModel.pagedUsers,
            clock,
            logger,
            metrics,
            defaultSeverity: config.defaultSeverity,
            alertOps,
            alerts: { reads: alertReads, alertPaging, alertActions: alerts },
            alertIncidents,
            notifyTests,
          });
    if (slackApp) {
      await slackApp.app.init();
      // Socket Mode (SLACK_APP_TOKEN) connects out to Slack; over HTTP this is a no-op.
      shutdown.add(await slackApp.connect());
    }
    const server = createHttpServer({
      slackListener: slackApp?.requestListener ?? null,
      metrics,
      logger,
      fallback: postmortemLinkRoute({ pool, clock, linkKeys }),
      routes: operationalRoutes({ role, pool, redis: producer }),
      inbound:
        role === 'worker'
          ? {}
          : {
              ...alertRoutes({
                services: oncall?.services ?? {},
                intake: alerts,
                heartbeats: alertOps.heartbeats,
                clock,
              }),
              [CALENDAR_PATH_PREFIX]: calendarFeedRoute({
                calendar,
                displayNames: createUserNames(createSlackClient(slack, logger)).lookupNames,
                logger,
              }),
              ...pageAckRoutes({
                clock,
                linkKeys,
                pageAck: createPageAck({ pool, escalation, alerts }),
                people: oncall?.people ?? {},
                twilio: config.providers.twilio,
                baseUrl,
                callStatus: callStatus.record,
              }),
            },
    });
    shutdown.addServer(server);
    const port = await listen(server, config.port, options.host);
    const url = `http://${options.host ?? 'localhost'}:${port}`;
    let metricsUrl: string | null = null;
    if (config.metricsPort !== undefined) {
      const metricsServer = createHttpServer({
        slackListener: null,
        metrics,
        logger,
        routes: metricsRoutes(metrics),
      });
      shutdown.addServer(metricsServer);
      const metricsPort = await listen(metricsServer, config.metricsPort, options.host);
      metricsUrl = `http://${options.host ?? 'localhost'}:${metricsPort}`;
    }

    if (role === 'worker' || role === 'all') {
      const connection = createWorkerConnection(redisTarget);
      shutdown.add(async () => connection.disconnect());
      await assertNoEviction(connection);
      const client = createSlackClient(slack, logger);
      const byId = { find: readModel.findIncident };
      const presence = { find: readModel.findSlackPresence };
      const escalationJobs = createEscalationJobs(outbox);
      const notes = createPageNotes({ pool, jobs: escalationJobs });
      const notifier = escalation ? createPagingNotifier({ notes, presence, client, clock, logger }) : null;
      // Page DMs get a client of their own: @slack/web-api holds every call of a client while one
      // waits out a 429, so a rate-limited card refresh on `client` never delays a page.
      const pages = escalation
        ? createPageSender({
            delivery: createPageDelivery({ pool, clock, jobs: escalationJobs }),
            notes,
            client: createSlackClient(slack, logger),
            logger,
          })
        : null;
      // Steps of people's rules (email, SMS, calls, push) through the configured providers only.
      const deliveries = oncall
        ? createDeliverySteps({ pool, clock, outbox, oncall, linkKeys, baseUrl, senders })
        : null;
      const postmortems = createPostmortemService({
        pool,
        clock,
        oncall,
        lookupNames: createUserNames(client).lookupNames,
      });
      const workers = await startWorkers({
        connection,
        prefix,
        queues,
        pool,
        clock,
        metrics,
        logger,
        reconcileEveryMs: options.reconcileEveryMs,
        jobs: {
          setup: createIncidentSetup({
            store: createIncidentSetupStore({ pool, clock }),
            workspace: createSlackWorkspace(client),
            logger,
            announceChannelId: config.announceChannelId,
            afterSetup: async (id) => (notifier ? notes.noteEarlierPages(id) : undefined),
          }),
          bookmarks: createChannelBookmarks({ client, incidents: byId }),
          presenter: createIncidentPresenter({
            incidents: byId,
            presence,
            cards: createIncidentCards(pool),
            client,
            clock,
            logger,
          }),
          publisher: createPostmortemPublisher({
            incidents: byId,
            recordFile: (postmortemId, fileId) => recordPostmortemFile(pool, postmortemId, fileId),
            client,
            logger,
            postmortems,
            baseUrl,
            linkKeys,
          }),
          lifecycle,
          escalation,
          notifier,
          pages,
          deliveries,
          deliveryNotifier:
            deliveries && createDeliveryNotifier({ notes: { find: deliveries.findNote }, client }),
          reconciler: createReconciler({
            pool,
            clock,
            logger,
            outbox,
            escalation,
            timers: [...alertOps.timers, ...(handoffs ? [handoffs] : [])],
          }),
          overrideAnnouncer: createOverrideAnnouncer({ client }),
          overridesRetention: createOverrideRetention({ pool, clock }),
          retention: createRetentionSweep({ pool, clock, logger, retentionDays: config.retentionDays }),
          maintenance: alertOps.maintenance,
          maintenanceAnnouncer: createMaintenanceAnnouncer({ client }),
          heartbeats: alertOps.heartbeats,
          alertIncidents,
          alertPresenter: oncall ? createAlertPresenter({ reads: alertReads, client, logger }) : null,
          cover,
          coverMessenger: oncall
            ? createCoverMessenger({ delivery: createCoverDelivery({ pool, oncall }), client, logger })
            : null,
          handoffs,
          usergroups: handoffs
            ? createUsergroupSync({ client, logger, members: handoffs.usergroupMembers })
            : null,
          shiftNotifier: createShiftNotifier({ client, clock }),
          notifyTests,
        },
      });
      shutdown.add(() => workers.close());
      // User groups follow whoever is on call from start-up; handoff timers are re-planned.
      await handoffs?.start();
    }
    logger.info({ role, port, metricsUrl }, 'incident-bot started');
    return { port, url, metricsUrl, pool, metrics, queues, alertPaging, stop: shutdown.close };
  } catch (error) {
    await shutdown.close();
    throw error;
  }
}
