import type { Pool } from '../db/pool.js';
import { findIncidentById } from '../incidents/incident-repo.js';
import type { Incident } from '../incidents/incident-types.js';
import type { EscalationJobs } from './escalation-jobs.js';
import { type Escalation, findEscalation } from './escalation-repo.js';
import {
  findPageChannelNote,
  listPages,
  listPagesNotNoted,
  markPageChannelNoted,
  type Page,
  type PageChannelNote,
} from './page-repo.js';

export type PageNotes = ReturnType<typeof createPageNotes>;

/** A page's channel line that is due: the page was sent or refused, and the incident has a channel. */
export type DuePageNote = PageChannelNote & { channelId: string };

/**
 * What a delivery channel reads to tell people about paging, and the once-only record of a page's
 * line in the incident channel ("Paged @x", or why it could not be). The adapter
 * (slack/paging-notifier.ts) only sends, from the `page.note` job, after every transaction here ended.
 */
export function createPageNotes({ pool, jobs }: { pool: Pool; jobs: EscalationJobs }) {
  return {
    /** The page's channel line if it is still to be posted; null when posted, not due, or no channel yet. */
    async due(pageId: number): Promise<DuePageNote | null> {
      const note = await findPageChannelNote(pool, pageId);
      if (!note || note.noted || !note.channelId) return null;
      if (note.status === 'sent' && note.userId) return { ...note, channelId: note.channelId };
      return note.status === 'failed' ? { ...note, channelId: note.channelId } : null;
    },

    /** The line is in the channel. */
    noted(pageId: number): Promise<void> {
      return markPageChannelNoted(pool, pageId);
    },

    /** Asks for the lines of pages that went out (or failed) before the incident channel existed. */
    async noteEarlierPages(incidentId: number): Promise<void> {
      await jobs.notePages(await listPagesNotNoted(pool, incidentId));
    },

    /**
     * An escalation of the incident (its own when `escalationId` is absent), the incident, and every
     * page of the incident (of all its escalations: `Page.escalationId` tells them apart).
     */
    async paging(
      incidentId: number,
      escalationId?: number,
    ): Promise<{ escalation: Escalation | null; incident: Incident | null; pages: Page[] }> {
      const [escalation, incident, pages] = await Promise.all([
        findEscalation(pool, escalationId === undefined ? incidentId : { incidentId, escalationId }),
        findIncidentById(pool, incidentId),
        listPages(pool, incidentId),
      ]);
      return { escalation, incident, pages };
    },
  };
}
