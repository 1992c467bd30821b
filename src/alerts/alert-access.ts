/**
 * Who may act on an alert group's page (Acknowledge, Escalate now, Resolve, Declare incident) and
 * see it (the Declare modal prefilled from it): one rule for every button.
 *
 * - the people a page was sent to for the group (they were woken for it);
 * - the admins named in oncall.yaml;
 * - members of the service's `alerts.channel` (where the group's message is posted: the team that
 *   owns the service).
 *
 * Anyone else is answered exactly as for a group that does not exist: alerts carry labels and links
 * of systems a stranger need not learn of. There is no "may see but not act" level: everyone who
 * sees an alert page is someone who may answer it.
 *
 * Pure: the facts are gathered once per request by the caller (slack/alert-group-access.ts).
 */
export type AlertGroupAbility = 'view' | 'acknowledge' | 'escalate' | 'resolve' | 'declare';

export interface AlertGroupFacts {
  /** Slack ids of the people a page was sent to for this group. */
  pagedUserIds: readonly string[];
  admins: readonly string[];
  /** The service's `alerts.channel`, if it has one. */
  alertsChannelId: string | null;
}

export interface AlertGroupAsker {
  userId: string;
  /** Whether the asker is in the service's alerts channel (false when it has none). */
  isAlertsChannelMember: boolean;
}

export function mayActOnAlertGroup(facts: AlertGroupFacts, asker: AlertGroupAsker): boolean {
  return (
    facts.pagedUserIds.includes(asker.userId) ||
    facts.admins.includes(asker.userId) ||
    (facts.alertsChannelId !== null && asker.isAlertsChannelMember)
  );
}

/** Every ability follows the one rule (see above); the ability is named for logs and messages. */
export function mayOnAlertGroup(
  _ability: AlertGroupAbility,
  facts: AlertGroupFacts,
  asker: AlertGroupAsker,
): boolean {
  return mayActOnAlertGroup(facts, asker);
}

/**
 * The verdict, asking about channel membership (a Slack call) only when the answer depends on it.
 * `hidden`: answer as for a group that does not exist.
 */
export async function decideAlertGroup(
  facts: AlertGroupFacts,
  userId: string,
  isAlertsChannelMember: () => Promise<boolean>,
): Promise<'allowed' | 'hidden'> {
  if (mayActOnAlertGroup(facts, { userId, isAlertsChannelMember: false })) return 'allowed';
  if (facts.alertsChannelId === null) return 'hidden';
  return mayActOnAlertGroup(facts, { userId, isAlertsChannelMember: await isAlertsChannelMember() })
    ? 'allowed'
    : 'hidden';
}
