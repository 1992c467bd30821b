import type { Clock } from '../clock.js';
import type { Pool } from '../db/pool.js';
import type { OncallConfig } from '../escalation/oncall-config.js';
import { listFollowups } from '../incidents/followup-repo.js';
import { findIncidentById } from '../incidents/incident-repo.js';
import { listTimelineEvents } from '../timeline/timeline-repo.js';
import { buildPostmortemMarkdown } from './postmortem-draft.js';
import { findNarrative, insertPostmortem, type StoredPostmortem } from './postmortem-repo.js';

export interface PostmortemServiceDeps {
  pool: Pool;
  clock: Clock;
  oncall: OncallConfig | null;
  /** Slack display names for user ids (the draft names people, not ids). */
  lookupNames(userIds: string[]): Promise<Record<string, string>>;
}

export type PostmortemService = ReturnType<typeof createPostmortemService>;

/** Generates the draft from the latest data and stores it; every regeneration is kept. */
export function createPostmortemService(deps: PostmortemServiceDeps) {
  return {
    async generate(incidentId: number, by: string | null): Promise<StoredPostmortem | null> {
      const incident = await findIncidentById(deps.pool, incidentId);
      if (!incident) return null;
      const [narrative, events, followups] = await Promise.all([
        findNarrative(deps.pool, incidentId),
        listTimelineEvents(deps.pool, incidentId),
        listFollowups(deps.pool, incidentId),
      ]);
      const ids = new Set<string>();
      for (const id of [incident.reporterId, incident.commanderId, incident.commsId, incident.scribeId])
        if (id) ids.add(id);
      for (const e of events) if (e.actorId) ids.add(e.actorId);
      for (const f of followups) if (f.ownerId) ids.add(f.ownerId);
      const text = JSON.stringify(events) + followups.map((f) => f.text).join(' ');
      for (const m of text.matchAll(/\b([UW][A-Z0-9]{8,})\b/g)) ids.add(m[1]!);
      const names = await deps.lookupNames([...ids]);
      const slo = incident.service ? (deps.oncall?.services[incident.service]?.slo ?? null) : null;
      const markdown = buildPostmortemMarkdown({
        incident,
        narrative,
        events,
        followups,
        slo: slo ? { target: slo.target, windowMs: slo.windowMs } : null,
        names,
        generatedAt: deps.clock.now(),
      });
      return insertPostmortem(deps.pool, { incidentId, markdown, generatedBy: by });
    },
  };
}
