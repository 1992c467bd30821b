/**
 * What a batch of alert events does, decided in memory from what Postgres holds (BatchState): which
 * alerts repeat, open, acknowledge or resolve, which group each new alert joins or opens, and what to
 * record. Pure, so the rules read in one place; alert-service.ts reads the state and writes the plan.
 *
 * Rules: one open alert per (service, dedup key): a repeated trigger adds to its count; a trigger with
 * none open opens one (after a resolve too). A new Alertmanager alert joins the open group of its
 * groupKey; any other joins its service's newest group still firing (held or not, as the service's
 * maintenance is) opened within the group window, else opens a group. Acknowledge and resolve of an
 * unknown dedup key are accepted and change nothing.
 */
import type { Severity } from '../incidents/incident-types.js';
import type { AlertChange, BatchState, EventRecord, GroupTouch, NewAlert, NewGroup } from './alert-repo.js';
import type { AlertEvent, IngestResult } from './alert-types.js';

/** A group the batch opens; its id is given once the batch knows how many it needs. */
interface GroupDraft extends Omit<NewGroup, 'id'> {
  id: number;
}

type GroupRef = { existing: number } | { draft: GroupDraft };

interface AlertDraft extends Omit<NewAlert, 'id' | 'groupId'> {
  id: number;
  group: GroupRef;
}

type OpenRef =
  | { existing: number; group: GroupRef; status: 'firing' | 'acknowledged' }
  | { draft: AlertDraft };

interface Touch {
  group: GroupRef;
  severity: Severity | null;
  actor: string | null;
  at: Date | null;
  urgent: boolean;
}

export interface BatchPlan {
  groups: GroupDraft[];
  alerts: AlertDraft[];
  /** The rows to write, once ids for the new groups and alerts are reserved (in the order above). */
  resolve(ids: { groups: number[]; alerts: number[] }): BatchWrites;
}

export interface BatchWrites {
  /** Some event acknowledged or resolved an alert: groups must be rolled up from their alerts. */
  settles: boolean;
  groups: NewGroup[];
  alerts: NewAlert[];
  changes: AlertChange[];
  records: EventRecord[];
  touches: GroupTouch[];
  results: IngestResult[];
}

const pairKey = (service: string, key: string) => `${service}\u0000${key}`;

function moreSevere(a: Severity | null, b: Severity): Severity {
  return a === null || b < a ? b : a;
}

export function planBatch(events: AlertEvent[], state: BatchState, now: Date): BatchPlan {
  const open = new Map<string, OpenRef>();
  const groupOf = new Map<number, GroupRef>();
  const existingGroup = (id: number): GroupRef => {
    let ref = groupOf.get(id);
    if (!ref) {
      ref = { existing: id };
      groupOf.set(id, ref);
    }
    return ref;
  };
  for (const alert of state.alerts) {
    open.set(pairKey(alert.service, alert.dedupKey), {
      existing: alert.id,
      group: existingGroup(alert.groupId),
      status: alert.status,
    });
  }
  const keyed = new Map(
    state.keyedGroups.map((g) => [pairKey(g.service, g.groupKey ?? ''), existingGroup(g.id)]),
  );
  const windowed = new Map(state.windowGroups.map((g) => [g.service, existingGroup(g.id)]));
  const held = new Set(state.held);

  const groups: GroupDraft[] = [];
  const alerts: AlertDraft[] = [];
  const changes = new Map<number, AlertChange>();
  const touches = new Map<GroupRef, Touch>();
  const outcomes: { ref: OpenRef | null; event: AlertEvent; outcome: IngestResult['outcome'] }[] = [];

  const touch = (group: GroupRef, update: Partial<Omit<Touch, 'group'>> = {}) => {
    const entry = touches.get(group) ?? { group, severity: null, actor: null, at: null, urgent: false };
    if (update.severity) entry.severity = moreSevere(entry.severity, update.severity);
    if (update.actor) {
      entry.actor = update.actor;
      entry.at = update.at ?? null;
    }
    // A new group, an acknowledge or a resolve is shown at once; repeats and joins may wait a little.
    if (update.actor || 'draft' in group) entry.urgent = true;
    touches.set(group, entry);
  };
  const changeOf = (id: number, status: AlertChange['status']): AlertChange => {
    let change = changes.get(id);
    if (!change) {
      change = {
        id,
        repeats: 0,
        lastSeenAt: null,
        status,
        acknowledgedBy: null,
        acknowledgedAt: null,
        resolvedBy: null,
        resolvedAt: null,
      };
      changes.set(id, change);
    }
    return change;
  };

  const groupFor = (event: AlertEvent): GroupRef => {
    const slot = event.groupKey === null ? event.service : pairKey(event.service, event.groupKey);
    const found = event.groupKey === null ? windowed.get(slot) : keyed.get(slot);
    if (found) return found;
    const draft: GroupDraft = {
      id: 0,
      service: event.service,
      source: event.source,
      groupKey: event.groupKey,
      title: event.title,
      severity: event.severity,
      held: held.has(event.service),
      openedAt: now,
    };
    groups.push(draft);
    const ref: GroupRef = { draft };
    if (event.groupKey === null) windowed.set(slot, ref);
    else keyed.set(slot, ref);
    if (!windowed.has(event.service)) windowed.set(event.service, ref);
    return ref;
  };

  for (const event of events) {
    const key = pairKey(event.service, event.dedupKey);
    const current = open.get(key) ?? null;
    const group = current && ('draft' in current ? current.draft.group : current.group);
    if (event.action === 'trigger') {
      if (current && group) {
        if ('draft' in current) {
          current.draft.count += 1;
          current.draft.lastSeenAt = now;
        } else {
          const change = changeOf(current.existing, current.status);
          change.repeats += 1;
          change.lastSeenAt = now;
        }
        touch(group);
        outcomes.push({ ref: current, event, outcome: 'repeated' });
        continue;
      }
      const draft: AlertDraft = {
        id: 0,
        service: event.service,
        dedupKey: event.dedupKey,
        source: event.source,
        group: groupFor(event),
        status: 'firing',
        title: event.title,
        severity: event.severity,
        labels: event.labels,
        details: event.details,
        links: event.links,
        count: 1,
        firstSeenAt: event.at,
        lastSeenAt: now,
        acknowledgedBy: null,
        acknowledgedAt: null,
        resolvedBy: null,
        resolvedAt: null,
      };
      alerts.push(draft);
      const ref: OpenRef = { draft };
      open.set(key, ref);
      if ('draft' in draft.group)
        draft.group.draft.severity = moreSevere(draft.group.draft.severity, event.severity);
      touch(draft.group, { severity: event.severity });
      outcomes.push({ ref, event, outcome: 'opened' });
      continue;
    }
    if (!current || !group) {
      outcomes.push({ ref: null, event, outcome: 'ignored' });
      continue;
    }
    const acknowledge = event.action === 'acknowledge';
    const target = 'draft' in current ? current.draft : changeOf(current.existing, current.status);
    if (acknowledge) {
      if (target.status === 'firing') {
        target.status = 'acknowledged';
        target.acknowledgedBy = event.actor;
        target.acknowledgedAt = event.at;
      }
      if (!('draft' in current)) current.status = 'acknowledged';
    } else {
      target.status = 'resolved';
      target.resolvedBy = event.actor;
      target.resolvedAt = event.at;
      open.delete(key);
    }
    touch(group, { actor: event.actor, at: event.at });
    outcomes.push({ ref: current, event, outcome: acknowledge ? 'acknowledged' : 'resolved' });
  }

  return {
    groups,
    alerts,
    resolve(ids) {
      groups.forEach((group, index) => {
        group.id = ids.groups[index]!;
      });
      alerts.forEach((alert, index) => {
        alert.id = ids.alerts[index]!;
      });
      const groupId = (ref: GroupRef) => ('draft' in ref ? ref.draft.id : ref.existing);
      const alertId = (ref: OpenRef | null) =>
        ref === null ? null : 'draft' in ref ? ref.draft.id : ref.existing;
      return {
        settles: outcomes.some((o) => o.outcome === 'acknowledged' || o.outcome === 'resolved'),
        groups: groups.map((group) => ({ ...group })),
        alerts: alerts.map(({ group, ...rest }) => ({ ...rest, groupId: groupId(group) })),
        changes: [...changes.values()],
        records: outcomes.map(({ ref, event }) => ({
          alertId: alertId(ref),
          service: event.service,
          source: event.source,
          action: event.action,
          actor: event.actor,
          receivedAt: now,
          payload: event.payload,
        })),
        touches: [...touches.values()].map((t) => ({
          id: groupId(t.group),
          severity: t.severity,
          actor: t.actor,
          at: t.at,
          urgent: t.urgent,
        })),
        results: outcomes.map(({ ref, event, outcome }) => ({
          alertId: alertId(ref),
          dedupKey: event.dedupKey,
          outcome,
        })),
      };
    },
  };
}
