import { type Pool, withTransaction } from '../db/pool.js';
import { findIncidentById } from '../incidents/incident-repo.js';
import type { Incident } from '../incidents/incident-types.js';
import { type Escalation, findEscalation } from './escalation-repo.js';
import {
  listPages,
  listSentPagesNotNoted,
  lockPageChannelNote,
  markPageChannelNoted,
  type Page,
  type PageChannelNote,
} from './page-repo.js';

export type PageNotes = ReturnType<typeof createPageNotes>;

/**
 * What a delivery channel reads to tell people about paging, and the once-only record of the line
 * "Paged @x" in the incident channel. The adapter (slack/paging-notifier.ts) only sends.
 */
export function createPageNotes({ pool }: { pool: Pool }) {
  return {
    /**
     * Runs `post` for a sent page whose channel line is not posted yet, and records it as posted;
     * the page's row lock is held meanwhile, so two runs never post it twice.
     */
    async noteOnce(pageId: number, post: (page: PageChannelNote & { channelId: string }) => Promise<void>) {
      await withTransaction(pool, async (tx) => {
        const page = await lockPageChannelNote(tx, pageId);
        if (!page || page.noted || page.status !== 'sent' || !page.userId || !page.channelId) return;
        await post({ ...page, channelId: page.channelId });
        await markPageChannelNoted(tx, pageId);
      });
    },

    /** Sent pages whose channel line is not posted yet (they went out before the channel existed). */
    listNotNoted(incidentId: number): Promise<number[]> {
      return listSentPagesNotNoted(pool, incidentId);
    },

    async paging(
      incidentId: number,
    ): Promise<{ escalation: Escalation | null; incident: Incident | null; pages: Page[] }> {
      const [escalation, incident, pages] = await Promise.all([
        findEscalation(pool, incidentId),
        findIncidentById(pool, incidentId),
        listPages(pool, incidentId),
      ]);
      return { escalation, incident, pages };
    },
  };
}
