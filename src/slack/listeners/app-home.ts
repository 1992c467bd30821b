import type { AppHomeOpenedEvent } from '@slack/types';
import type { Clock } from '../../clock.js';
import type { Pool } from '../../db/pool.js';
import type { OncallConfig } from '../../escalation/oncall-config.js';
import { effectiveSchedules } from '../../escalation/overrides-repo.js';
import { whoIsOnCall } from '../../escalation/schedule.js';
import { listHomeIncidents } from '../../incidents/incident-repo.js';
import type { Logger } from '../../logger.js';
import type { IncidentAccess } from '../incident-access.js';
import type { SlackRouter } from '../slack-router.js';
import { buildAppHome } from '../views/app-home.js';

export interface AppHomeDeps {
  pool: Pool;
  clock: Clock;
  oncall: OncallConfig | null;
  access: IncidentAccess;
  logger: Logger;
}

/** Publishes the App Home tab each time someone opens it. */
export function registerAppHome(router: SlackRouter, deps: AppHomeDeps): void {
  router.event('app_home_opened', async ({ event: e, client }) => {
    const event = e as AppHomeOpenedEvent;
    if (event.tab !== 'home') return;
    try {
      const now = deps.clock.now();
      const home = await listHomeIncidents(deps.pool, event.user);
      const incidents = await deps.access.visible(home.open, event.user, client);
      const waiting = await deps.access.visible(home.waitingForViewer, event.user, client);
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
      deps.logger.warn({ err: error }, 'could not publish the App Home');
    }
  });
}
