import { type AlertGroupView, findAlertGroupView } from '../alerts/alert-group-view.js';
import type { Clock } from '../clock.js';
import type { Pool } from '../db/pool.js';
import { findIncidentById } from '../incidents/incident-repo.js';
import type { Incident } from '../incidents/incident-types.js';
import { appendTimelineEvent } from '../timeline/timeline-repo.js';
import type { EscalationJobs } from './escalation-jobs.js';
import { type EngagedTeam, findEscalation } from './escalation-repo.js';
import { findPage, markPageSent, markPageUnsent, type Page } from './page-repo.js';

export type PageDelivery = ReturnType<typeof createPageDelivery>;

/** A page due to go out, with what it pages for: an incident or an alert group. */
export type DuePage =
  | { page: Page; incident: Incident; team: EngagedTeam | null; group?: undefined }
  | { page: Page; group: AlertGroupView; incident?: undefined };

/**
 * The domain's half of sending a page: whether it is still due, and what came of it (the page's
 * status and the timeline). A delivery channel (the Slack DM in slack/page-sender.ts) only sends.
 * Either outcome asks for the page's line in the incident channel (the `page.note` job).
 */
export function createPageDelivery({
  pool,
  clock,
  jobs,
}: {
  pool: Pool;
  clock: Clock;
  jobs: EscalationJobs;
}) {
  return {
    /**
     * The page and its incident (or alert group) if it should go out now. A page decided but delayed
     * (a crashed worker, a Slack outage) still goes out unless someone has taken the incident or
     * group in the meantime: acknowledged or resolved it; then it is recorded as skipped. A page by
     * hand (step -1) goes out even after an ack: someone asked for that person's help.
     */
    async due(pageId: number): Promise<DuePage | null> {
      const page = await findPage(pool, pageId);
      if (page?.status !== 'pending') return null;
      const [escalation, incident, group] = await Promise.all([
        findEscalation(pool, { id: page.escalationId }),
        page.incidentId === null ? null : findIncidentById(pool, page.incidentId),
        page.alertGroupId === null ? null : findAlertGroupView(pool, page.alertGroupId),
      ]);
      const byHand = page.step < 0;
      const taken = escalation?.state === 'resolved' || (!byHand && escalation?.state === 'acknowledged');
      if (!escalation || !(incident || group) || taken) {
        const what = page.incidentId === null ? 'alert' : 'incident';
        const why = `not sent: the ${what} was ${escalation?.state ?? 'gone'} first`;
        await markPageUnsent(pool, page.id, 'skipped', why);
        return null;
      }
      return incident ? { page, incident, team: escalation.team } : { page, group: group! };
    },

    /** The channel took the page: its receipt (who, and where the message is). */
    async sent(
      page: Pick<Page, 'id' | 'incidentId'>,
      receipt: { userId: string; dmChannelId: string; dmTs: string },
    ): Promise<void> {
      await markPageSent(pool, page.id, { ...receipt, at: clock.now() });
      // Only an incident's pages have a line in a channel.
      if (page.incidentId !== null) await jobs.notePages([page.id]);
    },

    /** The channel refused the page for good: recorded on the page and on the timeline. */
    async refused(page: Page, reason: { code: string; description: string }): Promise<void> {
      await markPageUnsent(pool, page.id, 'failed', reason.description);
      if (page.incidentId === null) return;
      await appendTimelineEvent(
        pool,
        page.incidentId,
        { kind: 'escalation.page_failed', details: { target: page.target, error: reason.code } },
        { occurredAt: clock.now() },
      );
      await jobs.notePages([page.id]);
    },
  };
}
