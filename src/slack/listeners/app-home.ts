import type { AppHomeOpenedEvent } from '@slack/types';
import type { Clock } from '../../clock.js';
import type { Pool } from '../../db/pool.js';
import type { OncallConfig } from '../../escalation/oncall-config.js';
import { effectiveSchedules } from '../../escalation/overrides-repo.js';
import { whoIsOnCall } from '../../escalation/schedule.js';
import type { Metrics } from '../../http/metrics.js';
import { listHomeIncidents } from '../../incidents/incident-repo.js';
import type { Logger } from '../../logger.js';
import { slackErrorCode } from '../slack-errors.js';
import type { SlackRouter } from '../slack-router.js';
import { buildAppHome } from '../views/app-home.js';

export interface AppHomeDeps {
  pool: Pool;
  clock: Clock;
  oncall: OncallConfig | null;
  logger: Logger;
  metrics: Pick<Metrics, 'appHomeFailures'> | null;
}

/** Publishes the App Home tab each time someone opens it. */
export function registerAppHome(router: SlackRouter, deps: AppHomeDeps): void {
  router.event('app_home_opened', async ({ event: e, client }) => {
    const event = e as AppHomeOpenedEvent;
    if (event.tab !== 'home') return;
    try {
      const now = deps.clock.now();
      const { open: incidents, waitingForViewer: waiting } = await listHomeIncidents(deps.pool, event.user);
      const schedules = deps.oncall ? await effectiveSchedules(deps.pool, deps.oncall, now) : {};
      const onCall = Object.values(schedules).map((s) => ({
        schedule: s.name,
        user: whoIsOnCall(s, now)?.user ?? null,
      }));
      await client.views.publish({
        user_id: event.user,
        view: buildAppHome({ viewerId: event.user, incidents, waiting, onCall, now }),
      });
    } catch (error) {
      // Nobody else would notice: an App Home Slack refuses just stays stale.
      const reason = slackErrorCode(error) ?? 'internal';
      deps.metrics?.appHomeFailures.inc({ reason });
      deps.logger.error({ err: error, user: event.user, reason }, 'could not publish the App Home');
    }
  });
}
