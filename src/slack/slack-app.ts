import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { AlertOps } from '../alerts/alert-ops.js';
import type { Clock } from '../clock.js';
import type { CoverService } from '../escalation/cover-service.js';
import type { EscalationService } from '../escalation/escalation-service.js';
import type { NotifyTests } from '../escalation/notify-tests.js';
import type { OncallConfig } from '../escalation/oncall-config.js';
import type { OverrideService } from '../escalation/override-service.js';
import type { Metrics } from '../http/metrics.js';
import type { IncidentService } from '../incidents/incident-service.js';
import type { Severity } from '../incidents/incident-types.js';
import type { LifecycleService } from '../incidents/lifecycle-service.js';
import type { ReadModel } from '../incidents/read-model.js';
import { createSlackLogger, type Logger } from '../logger.js';
import { type AlertGroupAccess, createAlertGroupAccess } from './alert-group-access.js';
import type { CalendarLinks } from './commands/command-handler.js';
import { registerIncidentCommand } from './commands/run-command.js';
import { createIncidentAccess, type PagedUsers } from './incident-access.js';
import { type AlertButtonDeps, registerAlertButtons } from './listeners/alert-buttons.js';
import { type AlertDeclareDeps, createAlertDeclareOpener } from './listeners/alert-declare.js';
import { registerAppHome } from './listeners/app-home.js';
import { registerCoverButtons } from './listeners/cover-buttons.js';
import { registerDeclareModal } from './listeners/declare-modal.js';
import { registerHeadlineButtons } from './listeners/headline-buttons.js';
import { registerJoinButton } from './listeners/join-button.js';
import { registerNotifyTestButtons } from './listeners/notify-test-buttons.js';
import { registerPagingButtons } from './listeners/paging-buttons.js';
import { registerReminderButtons } from './listeners/reminder-buttons.js';
import { registerTimelineCapture } from './listeners/timeline-capture.js';
import { createSlackRouter } from './slack-router.js';

export interface SlackConnection {
  botToken: string;
  signingSecret: string;
  apiUrl: string;
  fetch: typeof fetch;
  /** App-level token (`xapp-…`): connect over Socket Mode instead of serving POST /slack/events. */
  appToken?: string | undefined;
}

export interface SlackAppDeps {
  slack: SlackConnection;
  incidents: IncidentService;
  escalation: EscalationService | null;
  /** Null without an oncall.yaml, like `escalation`. */
  overrides: OverrideService | null;
  /** Cover requests; null without an oncall.yaml. */
  cover: CoverService | null;
  lifecycle: LifecycleService;
  oncall: OncallConfig | null;
  /** Calendar feeds (`/incident oncall calendar`); null without an oncall.yaml. */
  calendar: CalendarLinks | null;
  /** What listeners read (the Slack app holds no pool). */
  readModel: ReadModel;
  /** The people paged per incident: the access rule lets them view it and acknowledge. */
  pagedUsers: PagedUsers;
  clock: Clock;
  logger: Logger;
  defaultSeverity: Severity;
  /** Maintenance windows and the open-alert list (`/incident maintenance`, `/incident alerts`). */
  alertOps: Pick<AlertOps, 'maintenance' | 'alertQueries'>;
  /** Counts what users would otherwise never see fail (an App Home Slack refused). */
  metrics?: Pick<Metrics, 'appHomeFailures'>;
  /** Alert pages: what their buttons read and call (see listeners/alert-buttons.ts). */
  alerts: Omit<AlertButtonDeps, 'access' | 'logger' | 'openDeclareForAlertGroup'> & {
    reads: Parameters<typeof createAlertGroupAccess>[0]['reads'];
  };
  /** Declaring from an alert page (its Declare incident button); null: not offered. */
  alertIncidents: AlertDeclareDeps['alertIncidents'] | null;
  /** Notification rules and test sends (`/incident oncall me`, App Home); null without an oncall.yaml. */
  notifyTests: NotifyTests | null;
}

/**
 * A Web API client for background work. Few retries of its own: the job queue retries with
 * backoff, and a 429 still waits for Retry-After before the retry.
 */
export function createSlackClient(slack: SlackConnection, logger: Logger): WebClient {
  return new WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    fetch: slack.fetch,
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2000 },
    timeout: 10_000,
    logger: createSlackLogger(logger),
  });
}

/**
 * The Bolt app. Over HTTP it sits behind POST /slack/events (`requestListener`); with an app token it
 * holds a Socket Mode connection instead (`connect`), opened through SLACK_API_URL like every call.
 * Listeners are thin; the services do the work.
 */
export function createSlackApp(deps: SlackAppDeps): {
  app: App;
  requestListener: InstanceType<typeof HTTPReceiver>['requestListener'] | null;
  /** Opens the Socket Mode connection (nothing over HTTP); resolves with a closer. */
  connect(): Promise<() => Promise<void>>;
} {
  const slackLogger = createSlackLogger(deps.logger);
  const httpReceiver = (processBeforeResponse: boolean) =>
    new HTTPReceiver({ signingSecret: deps.slack.signingSecret, logger: slackLogger, processBeforeResponse });
  const receiver = deps.slack.appToken
    ? new SocketModeReceiver({
        appToken: deps.slack.appToken,
        logger: slackLogger,
        // Bolt hands these to the SocketModeClient's WebClient, which calls apps.connections.open.
        installerOptions: { clientOptions: { slackApiUrl: deps.slack.apiUrl } },
      })
    : httpReceiver(false);
  const app = new App({
    receiver,
    token: deps.slack.botToken,
    logger: slackLogger,
    // No in-memory state, so any web instance can serve any request.
    convoStore: false,
    deferInitialization: true,
    extendedErrorHandler: true,
    clientOptions: {
      slackApiUrl: deps.slack.apiUrl,
      fetch: deps.slack.fetch,
      retryConfig: { retries: 1, factor: 1, minTimeout: 100, maxTimeout: 500 },
      timeout: 2500,
    },
  });
  // Commands and interactions are answered as soon as their listener acks (work goes on after the
  // ack). Events API deliveries (JSON bodies) are answered once their effect has committed, together
  // with their event id (see db/slack-events-repo.ts), and a failure is answered 500: Slack redelivers
  // it, so a failed timeline capture is retried, not lost.
  const eventsReceiver = receiver instanceof HTTPReceiver ? httpReceiver(true) : null;
  eventsReceiver?.init(app);
  const router = createSlackRouter(app);
  const admins = deps.oncall?.admins ?? [];
  // One access rule for every command, button and form.
  const access = createIncidentAccess({ pagedUsers: deps.pagedUsers, admins });
  registerIncidentCommand(app, {
    incidents: deps.incidents,
    escalation: deps.escalation,
    overrides: deps.overrides,
    cover: deps.cover,
    oncall: deps.oncall,
    calendar: deps.calendar,
    readModel: deps.readModel,
    lifecycle: deps.lifecycle,
    admins,
    access,
    clock: deps.clock,
    logger: deps.logger,
    defaultSeverity: deps.defaultSeverity,
    maintenance: deps.alertOps.maintenance,
    alertQueries: deps.alertOps.alertQueries,
    notifyTests: deps.notifyTests,
  });
  const alertAccess: AlertGroupAccess = createAlertGroupAccess({ reads: deps.alerts.reads, admins });
  const alertDeclare: AlertDeclareDeps | null = deps.alertIncidents
    ? { alertIncidents: deps.alertIncidents, alertAccess, readModel: deps.readModel, access }
    : null;
  registerDeclareModal(router, { incidents: deps.incidents, logger: deps.logger, alerts: alertDeclare });
  const guarded = { lifecycle: deps.lifecycle, access, logger: deps.logger };
  registerJoinButton(router, guarded);
  registerPagingButtons(router, { ...guarded, escalation: deps.escalation });
  registerHeadlineButtons(router, guarded);
  registerReminderButtons(router, guarded);
  registerCoverButtons(router, { cover: deps.cover, logger: deps.logger });
  registerNotifyTestButtons(router, { notifyTests: deps.notifyTests, logger: deps.logger });
  registerTimelineCapture(router, { ...guarded, readModel: deps.readModel, incidents: deps.incidents });
  registerAlertButtons(router, {
    ...deps.alerts,
    openDeclareForAlertGroup: alertDeclare ? createAlertDeclareOpener(alertDeclare) : null,
    access: alertAccess,
    logger: deps.logger,
  });
  registerAppHome(router, {
    ...guarded,
    readModel: deps.readModel,
    clock: deps.clock,
    metrics: deps.metrics ?? null,
    notifyTests: deps.notifyTests,
  });
  // extendedErrorHandler: Bolt calls this with { error, body } (its ExtendedErrorHandlerArgs type is not exported).
  app.error((async ({ error, body }: { error: Error; body: unknown }) => {
    deps.logger.error({ err: error }, 'unhandled Slack listener error');
    if (eventsReceiver && (body as { type?: string }).type === 'event_callback') throw error;
  }) as unknown as Parameters<App['error']>[0]);
  return {
    app,
    requestListener:
      receiver instanceof HTTPReceiver
        ? (req, res) => {
            const json = req.headers['content-type']?.startsWith('application/json');
            return (json && eventsReceiver ? eventsReceiver : receiver).requestListener(req, res);
          }
        : null,
    async connect() {
      if (!(receiver instanceof SocketModeReceiver)) return async () => {};
      await receiver.start();
      return () => receiver.stop();
    },
  };
}
