import type { AppHomeOpenedEvent } from '@slack/types';
import type { Clock } from '../../clock.js';
import type { NotifyTests } from '../../escalation/notify-tests.js';
import { whoIsOnCall } from '../../escalation/schedule.js';
import type { Metrics } from '../../http/metrics.js';
import type { ReadModel } from '../../incidents/read-model.js';
import type { Logger } from '../../logger.js';
import type { IncidentAccess } from '../incident-access.js';
import { slackErrorCode } from '../slack-errors.js';
import type { SlackRouter } from '../slack-router.js';
import { buildAppHome } from '../views/app-home.js';
import { viewerRules } from './notify-test-buttons.js';

export interface AppHomeDeps {
  readModel: ReadModel;
  clock: Clock;
  access: IncidentAccess;
  logger: Logger;
  metrics: Pick<Metrics, 'appHomeFailures'> | null;
  /** The viewer's notification rules (from oncall.yaml, no query); null without an oncall.yaml. */
  notifyTests: NotifyTests | null;
}

/** Publishes the App Home tab each time someone opens it. */
export function registerAppHome(router: SlackRouter, deps: AppHomeDeps): void {
  router.event('app_home_opened', async ({ event: e, client }) => {
    const event = e as AppHomeOpenedEvent;
    if (event.tab !== 'home') return;
    try {
      const now = deps.clock.now();
      const home = await deps.readModel.listHomeIncidents(event.user);
      const incidents = await deps.access.visible(home.open, event.user, client);
      const waiting = await deps.access.visible(home.waitingForViewer, event.user, client);
      const schedules = await deps.readModel.effectiveSchedules(now);
      const onCall = Object.values(schedules).map((s) => ({
        schedule: s.name,
        user: whoIsOnCall(s, now)?.user ?? null,
      }));
      const rules = deps.notifyTests ? await viewerRules(client, event.user, deps.notifyTests) : null;
      await client.views.publish({
        user_id: event.user,
        view: buildAppHome({ viewerId: event.user, incidents, waiting, onCall, now, rules }),
      });
    } catch (error) {
      // Nobody else would notice: an App Home Slack refuses just stays stale.
      const reason = slackErrorCode(error) ?? 'internal';
      deps.metrics?.appHomeFailures.inc({ reason });
      deps.logger.error({ err: error, user: event.user, reason }, 'could not publish the App Home');
    }
  });
}
