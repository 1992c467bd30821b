import type { Clock } from '../clock.js';
import type { Pool } from '../db/pool.js';
import { findIncidentById } from '../incidents/incident-repo.js';
import type { Incident } from '../incidents/incident-types.js';
import { appendTimelineEvent } from '../timeline/timeline-repo.js';
import type { EscalationJobs } from './escalation-jobs.js';
import { findEscalation } from './escalation-repo.js';
import { findPage, markPageSent, markPageUnsent, type Page } from './page-repo.js';

export type PageDelivery = ReturnType<typeof createPageDelivery>;

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
     * The page and its incident if it should go out now. A page decided but delayed (a crashed
     * worker, a Slack outage) still goes out unless someone has taken the incident in the meantime:
     * acknowledged or resolved it; then it is recorded as skipped. A page by hand (step -1) goes out
     * even after an ack: someone asked for that person's help.
     */
    async due(pageId: number): Promise<{ page: Page; incident: Incident } | null> {
      const page = await findPage(pool, pageId);
      if (page?.status !== 'pending') return null;
      const [escalation, incident] = await Promise.all([
        findEscalation(pool, page.incidentId),
        findIncidentById(pool, page.incidentId),
      ]);
      const byHand = page.step < 0;
      const taken = escalation?.state === 'resolved' || (!byHand && escalation?.state === 'acknowledged');
      if (!escalation || !incident || taken) {
        const why = `not sent: the incident was ${escalation?.state ?? 'gone'} first`;
        await markPageUnsent(pool, page.id, 'skipped', why);
        return null;
      }
      return { page, incident };
    },

    /** The channel took the page: its receipt (who, and where the message is). */
    async sent(
      pageId: number,
      receipt: { userId: string; dmChannelId: string; dmTs: string },
    ): Promise<void> {
      await markPageSent(pool, pageId, { ...receipt, at: clock.now() });
      await jobs.notePages([pageId]);
    },

    /** The channel refused the page for good: recorded on the page and on the timeline. */
    async refused(page: Page, reason: { code: string; description: string }): Promise<void> {
      await markPageUnsent(pool, page.id, 'failed', reason.description);
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
