import { listAlertsOf } from '../alerts/alert-incident-repo.js';
import type { Clock } from '../clock.js';
import type { Pool } from '../db/pool.js';
import type { OncallConfig } from '../escalation/oncall-config.js';
import type { Followup } from '../incidents/followup-repo.js';
import { listFollowups } from '../incidents/followup-repo.js';
import { findIncidentById } from '../incidents/incident-repo.js';
import { type Incident, isSlackUserId } from '../incidents/incident-types.js';
import type { TimelineEvent } from '../timeline/timeline-events.js';
import { listTimelineEventsForExport } from '../timeline/timeline-repo.js';
import type { PostmortemNarrative } from './postmortem-draft.js';
import { buildPostmortemMarkdown } from './postmortem-draft.js';
import {
  findDraftSourceVersion,
  findLatestPostmortem,
  findNarrative,
  insertPostmortem,
  type StoredPostmortem,
} from './postmortem-repo.js';

export interface PostmortemServiceDeps {
  pool: Pool;
  clock: Clock;
  oncall: OncallConfig | null;
  /** Slack display names for user ids (the draft names people, not ids). */
  lookupNames(userIds: string[]): Promise<Record<string, string>>;
}

export type PostmortemService = ReturnType<typeof createPostmortemService>;

/** A draft, and whether it is the stored one because nothing changed since it was generated. */
export type GeneratedPostmortem = StoredPostmortem & { unchanged: boolean };

/**
 * Generates the draft from the latest data and stores it (the newest DRAFTS_KEPT per incident are
 * kept). When nothing it is built from changed since the latest draft, that draft is returned instead.
 */
export function createPostmortemService(deps: PostmortemServiceDeps) {
  return {
    async generate(
      incidentId: number,
      by: string | null,
      options: { force?: boolean } = {},
    ): Promise<GeneratedPostmortem | null> {
      // Read before the data: a change landing meanwhile makes the stored version older, never newer.
      const sourceVersion = await findDraftSourceVersion(deps.pool, incidentId);
      const latest = options.force ? null : await findLatestPostmortem(deps.pool, incidentId);
      if (latest && latest.sourceVersion === sourceVersion) return { ...latest, unchanged: true };
      const incident = await findIncidentById(deps.pool, incidentId);
      if (!incident) return null;
      const [narrative, events, followups, alerts] = await Promise.all([
        findNarrative(deps.pool, incidentId),
        listTimelineEventsForExport(deps.pool, incidentId),
        listFollowups(deps.pool, incidentId),
        listAlertsOf(deps.pool, { incidentId }),
      ]);
      const ids = peopleNamedIn(incident, events, followups, narrative);
      const names = await deps.lookupNames([...ids]);
      const slo = incident.service ? (deps.oncall?.services[incident.service]?.slo ?? null) : null;
      const markdown = buildPostmortemMarkdown({
        incident,
        narrative,
        events,
        followups,
        alerts,
        slo: slo ? { target: slo.target, windowMs: slo.windowMs } : null,
        names,
        generatedAt: deps.clock.now(),
      });
      const stored = await insertPostmortem(deps.pool, {
        incidentId,
        markdown,
        generatedBy: by,
        sourceVersion,
      });
      return { ...stored, unchanged: false };
    },
  };
}

const MENTION = /<@([UW][A-Z0-9]+)/g;

/** Everyone the draft names: roles, actors, people paged or acknowledging, and @-mentions in texts. */
export function peopleNamedIn(
  incident: Incident,
  events: TimelineEvent[],
  followups: Followup[],
  narrative: PostmortemNarrative,
): string[] {
  const ids = new Set<string>();
  const add = (id: string | null | undefined) => {
    if (id && isSlackUserId(id)) ids.add(id);
  };
  const mentions = (text: string | null | undefined) => {
    if (text?.includes('<@')) for (const m of text.matchAll(MENTION)) ids.add(m[1]!);
  };
  for (const id of [incident.reporterId, incident.commanderId, incident.commsId, incident.scribeId]) add(id);
  mentions(incident.title);
  mentions(incident.summary);
  for (const text of Object.values(narrative)) mentions(text);
  for (const event of events) {
    add(event.actorId);
    switch (event.kind) {
      case 'incident.role_assigned':
        add(event.details.userId);
        break;
      case 'escalation.acknowledged':
        add(event.details.by);
        break;
      case 'escalation.paged':
        for (const t of event.details.targets) if (/^[UW][A-Z0-9]+$/.test(t.target)) add(t.target);
        break;
      case 'timeline.message_added':
        add(event.details.authorId);
        mentions(event.details.text);
        break;
      case 'incident.update_posted':
      case 'incident.note_added':
      case 'incident.followup_added':
        mentions(event.details.text);
        break;
    }
  }
  for (const f of followups) {
    add(f.ownerId);
    mentions(f.text);
  }
  return [...ids];
}
