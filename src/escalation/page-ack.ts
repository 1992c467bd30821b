import type { AlertActions } from '../alerts/alert-types.js';
import type { Queryable } from '../db/pool.js';
import type { LinkKeys, SignedLinkKind } from '../postmortem/signed-links.js';
import { signLink } from '../postmortem/signed-links.js';
import type { AckResult, PagingTarget } from './escalation-responses.js';
import { findPage } from './page-repo.js';
import type { AckSource } from './paging-subject.js';

/** Acknowledge-from-anywhere links live a day: long enough for any page, short if forwarded. */
export const PAGE_ACK_LINK: SignedLinkKind = {
  purpose: 'page-ack-link',
  pattern: /^\/pages\/(\d{1,12})\/ack$/,
  path: (id) => `/pages/${id}/ack`,
  maxTtlMs: 86_400_000,
};

export function pageAckUrl(baseUrl: string, keys: LinkKeys, pageId: number, now: Date): string {
  return `${baseUrl.replace(/\/$/, '')}${signLink(PAGE_ACK_LINK, keys, pageId, new Date(now.getTime() + PAGE_ACK_LINK.maxTtlMs))}`;
}

export type PageAckOutcome = 'acknowledged' | 'already_acknowledged' | 'not_paging' | 'no_page';

/** The engine call that acknowledges (escalation-service's `acknowledge`). */
export interface Acknowledger {
  acknowledge(target: PagingTarget, userId: string, via?: AckSource): Promise<AckResult>;
}

/**
 * Acknowledges a page as the person paged (their Slack id once the DM resolved it, else the person
 * as written in oncall.yaml), through the engine: the first acknowledgement from any channel wins.
 */
export function createPageAck(deps: {
  pool: Queryable;
  escalation: Acknowledger | null;
  /** An alert group's page is acknowledged through intake, so its alerts record who (null: no intake). */
  alerts?: Pick<AlertActions, 'acknowledgeGroup'> | null;
}) {
  const { pool, escalation } = deps;
  const acknowledgePage = async (pageId: number, via: AckSource): Promise<PageAckOutcome> => {
    const page = await findPage(pool, pageId);
    if (!page || !escalation) return 'no_page';
    const who = page.userId ?? page.target;
    if (page.alertGroupId !== null) {
      if (!deps.alerts) return 'no_page';
      return (await deps.alerts.acknowledgeGroup(page.alertGroupId, who)) ? 'acknowledged' : 'not_paging';
    }
    const result = await escalation.acknowledge({ id: page.escalationId }, who, via);
    return result.ok ? 'acknowledged' : result.reason;
  };
  return {
    acknowledgePage,
    /** The latest page of `person` still waiting for an answer (an SMS reply, a pressed 1). */
    async acknowledgeLatestFor(person: string, via: 'sms' | 'voice'): Promise<PageAckOutcome> {
      const { rows } = await pool.query<{ id: string }>(
        `SELECT p.id FROM pages p JOIN escalations e ON e.id = p.escalation_id
         WHERE (p.target = $1 OR p.user_id = $1) AND e.state = 'triggered' AND e.epoch = p.epoch
         ORDER BY p.id DESC LIMIT 1`,
        [person],
      );
      return rows[0] ? acknowledgePage(Number(rows[0].id), via) : 'no_page';
    },
  };
}

export type PageAck = ReturnType<typeof createPageAck>;
