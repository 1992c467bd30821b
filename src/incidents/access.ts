import type { Incident } from './incident-types.js';

/**
 * Who may do what with an incident: one rule for every command, button and modal.
 *
 * - view: anyone for a public incident; for a private one its reporter, role holders, the people
 *   paged for it, members of its channel and the admins named in oncall.yaml.
 * - change (status, severity, roles, updates, notes, links, follow-ups, close, postmortem): a viewer
 *   who is also a role holder, a member of its channel or an admin.
 * - acknowledge: a person paged for it, a role holder or an admin.
 * - page someone by hand: as change.
 * - escalate (page the policy's next level now): as page, or a person paged for it, who may pass
 *   the page on to the people the policy names (not to anyone they choose).
 *
 * Pure: the facts are gathered once per request by the caller (slack/incident-access.ts).
 */
export type Ability = 'view' | 'change' | 'acknowledge' | 'page' | 'escalate';

/** What the rule needs to know about an incident. */
export interface AccessFacts {
  isPrivate: boolean;
  reporterId: string;
  /** Commander, comms and scribe (nulls for roles nobody holds). */
  roleHolders: readonly (string | null)[];
  /** Slack ids of the people a page was sent to for this incident (by its policy or by hand). */
  pagedUserIds: readonly string[];
  /** The admins named in oncall.yaml. */
  admins: readonly string[];
}

/** Who is asking, and whether they are in the incident's channel. */
export interface Asker {
  userId: string;
  isChannelMember: boolean;
}

/** The facts an incident row holds itself; the paged people and the admins come from elsewhere. */
export function factsOf(
  incident: Pick<Incident, 'isPrivate' | 'reporterId' | 'commanderId' | 'commsId' | 'scribeId'>,
  pagedUserIds: readonly string[],
  admins: readonly string[],
): AccessFacts {
  return {
    isPrivate: incident.isPrivate,
    reporterId: incident.reporterId,
    roleHolders: [incident.commanderId, incident.commsId, incident.scribeId],
    pagedUserIds,
    admins,
  };
}

const isAdmin = (f: AccessFacts, u: string) => f.admins.includes(u);
const holdsRole = (f: AccessFacts, u: string) => f.roleHolders.includes(u);
const wasPaged = (f: AccessFacts, u: string) => f.pagedUserIds.includes(u);

export function mayView(facts: AccessFacts, asker: Asker): boolean {
  const u = asker.userId;
  return (
    !facts.isPrivate ||
    asker.isChannelMember ||
    facts.reporterId === u ||
    holdsRole(facts, u) ||
    wasPaged(facts, u) ||
    isAdmin(facts, u)
  );
}

export function mayChange(facts: AccessFacts, asker: Asker): boolean {
  const u = asker.userId;
  return mayView(facts, asker) && (asker.isChannelMember || holdsRole(facts, u) || isAdmin(facts, u));
}

export function mayAcknowledge(facts: AccessFacts, asker: Asker): boolean {
  const u = asker.userId;
  return wasPaged(facts, u) || holdsRole(facts, u) || isAdmin(facts, u);
}

/** Paging someone by hand, or escalating, brings people in: as much as changing the incident. */
export function mayPage(facts: AccessFacts, asker: Asker): boolean {
  return mayChange(facts, asker);
}

export function mayEscalate(facts: AccessFacts, asker: Asker): boolean {
  return mayPage(facts, asker) || wasPaged(facts, asker.userId);
}

const RULES: Record<Ability, (facts: AccessFacts, asker: Asker) => boolean> = {
  view: mayView,
  change: mayChange,
  acknowledge: mayAcknowledge,
  page: mayPage,
  escalate: mayEscalate,
};

export function may(ability: Ability, facts: AccessFacts, asker: Asker): boolean {
  return RULES[ability](facts, asker);
}

/** What a request is answered: as if the incident did not exist, refused, or allowed. */
export type Verdict = 'allowed' | 'refused' | 'hidden';

/**
 * The verdict for `ability`, asking about channel membership only when the answer depends on it
 * (membership costs a Slack call). A person who may not view is answered as if it did not exist.
 */
export async function decide(
  ability: Ability,
  facts: AccessFacts,
  userId: string,
  isChannelMember: () => Promise<boolean>,
): Promise<Verdict> {
  let member: boolean | null = null;
  const answer = async (rule: (f: AccessFacts, a: Asker) => boolean) => {
    const outside = rule(facts, { userId, isChannelMember: false });
    if (outside === rule(facts, { userId, isChannelMember: true })) return outside;
    member ??= await isChannelMember();
    return rule(facts, { userId, isChannelMember: member });
  };
  if (!(await answer(mayView))) return 'hidden';
  return (await answer(RULES[ability])) ? 'allowed' : 'refused';
}
