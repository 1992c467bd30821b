import type { WebClient } from '@slack/web-api';
import type { JobRun } from '../jobs/job.js';
import type { MaintenanceAnnouncement } from '../jobs/maintenance-announce.js';
import { openDm, postOnce } from './recent-messages.js';
import { buildMaintenanceAnnouncement } from './views/alert-ops-messages.js';

/** Message metadata on a maintenance announcement, so a repeated run finds what it already posted. */
export const MAINTENANCE_EVENT_TYPE = 'alerts_maintenance';

export type MaintenanceAnnouncer = ReturnType<typeof createMaintenanceAnnouncer>;

/**
 * Posts a maintenance window's start, extension and end where the service's alerts go: its
 * `alerts.channel`, or else a DM to whoever started the window. Run by the Slack-sends queue.
 */
export function createMaintenanceAnnouncer({ client }: { client: WebClient }) {
  return {
    async announce(a: MaintenanceAnnouncement, run: JobRun): Promise<void> {
      const channel = a.channel ?? (await openDm(client, a.createdBy));
      if (!channel) return;
      await postOnce(client, {
        channel,
        text: buildMaintenanceAnnouncement(a).text,
        eventType: MAINTENANCE_EVENT_TYPE,
        key: run.key,
        mayRepeat: run.mayRepeat,
        joinable: channel === a.channel,
      });
    },
  };
}
