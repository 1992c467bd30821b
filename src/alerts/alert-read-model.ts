import type { Pool } from '../db/pool.js';
import { type Escalation, findEscalation } from '../escalation/escalation-repo.js';
import type { OncallConfig } from '../escalation/oncall-config.js';
import { listPages, type Page } from '../escalation/page-repo.js';
import { listAlertGroupPagedUsers } from '../escalation/paged-users-repo.js';
import { type AlertGroupView, findAlertGroupView, recordAlertGroupMessage } from './alert-group-view.js';

/**
 * What Slack reads (and records) of an alert group, as a port: src/slack renders these and never
 * holds the pool or SQL. Built by the composition root.
 */
export interface AlertReadModel {
  /** The group with the first alerts its message lists; null when there is none. */
  group(groupId: number): Promise<AlertGroupView | null>;
  /** The group's escalation; null when nothing pages for it (held, or declared as an incident). */
  paging(groupId: number): Promise<Escalation | null>;
  pages(groupId: number): Promise<Page[]>;
  /** The people a page was sent to for the group (the access rule lets them act on it). */
  pagedUsers(groupId: number): Promise<string[]>;
  /** The service's `alerts.channel`, if oncall.yaml names one. */
  alertsChannel(service: string): string | null;
  /** Where the group's message in the alerts channel is, once posted. */
  recordMessage(groupId: number, where: { channelId: string; messageTs: string }): Promise<void>;
}

/** oncall.yaml's `services.<name>.alerts.channel`. */
export function alertsChannelOf(oncall: OncallConfig | null, service: string): string | null {
  return oncall?.services[service]?.alerts.channel ?? null;
}

export function createAlertReadModel({
  pool,
  oncall,
}: {
  pool: Pool;
  oncall: OncallConfig | null;
}): AlertReadModel {
  return {
    group: (groupId) => findAlertGroupView(pool, groupId),
    paging: (groupId) => findEscalation(pool, { alertGroupId: groupId }),
    pages: (groupId) => listPages(pool, { alertGroupId: groupId }),
    pagedUsers: (groupId) => listAlertGroupPagedUsers(pool, groupId),
    alertsChannel: (service) => alertsChannelOf(oncall, service),
    recordMessage: (groupId, where) => recordAlertGroupMessage(pool, groupId, where),
  };
}
