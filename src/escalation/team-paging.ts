import type { Clock } from '../clock.js';
import type { Queryable } from '../db/pool.js';
import { incidentRefreshJob } from '../jobs/incident-refresh.js';
import type { Outbox } from '../jobs/outbox.js';
import { appendTimelineEvent } from '../timeline/timeline-repo.js';
import type { EscalationJobs } from './escalation-jobs.js';
import {
  type Escalation,
  findEngagedEscalation,
  insertEscalation,
  reengageEscalation,
} from './escalation-repo.js';
import type { OncallConfig } from './oncall-config.js';

async function reengage(
  tx: Queryable,
  incidentId: number,
  service: string,
  fields: { by: string; reason: string | null; at: Date },
): Promise<Escalation | null> {
  const stopped = await findEngagedEscalation(tx, incidentId, service);
  return stopped?.state === 'resolved' ? reengageEscalation(tx, stopped.id, fields) : null;
}

export type EngageResult =
  | { ok: true; escalation: Escalation }
  | { ok: false; reason: 'unknown_service'; services: string[] }
  | { ok: false; reason: 'own_service'; service: string }
  | { ok: false; reason: 'already_engaged'; escalation: Escalation }
  | { ok: false; reason: 'no_policy'; service: string }
  | { ok: false; reason: 'not_open' };

/**
 * Paging another team into an incident (`/incident page service:payments <reason>`): that service's
 * escalation policy runs for the incident beside the incident's own paging, as an escalation of its
 * own (its timers, pages, acknowledgement and buttons are its own). One per (incident, service): the
 * unique key decides between a double click and concurrent commands.
 */
export function createTeamPaging(deps: {
  clock: Clock;
  oncall: OncallConfig;
  outbox: Outbox;
  jobs: EscalationJobs;
}) {
  const { clock, oncall, outbox, jobs } = deps;

  /** The service as `oncall.yaml` names it, matched without regard to case. */
  const serviceNamed = (name: string) =>
    Object.keys(oncall.services).find((s) => s.toLowerCase() === name.toLowerCase()) ?? null;

  return {
    async engageTeam(
      incidentId: number,
      request: { service: string; by: string; reason: string | null },
    ): Promise<EngageResult> {
      const service = serviceNamed(request.service);
      if (!service) return { ok: false, reason: 'unknown_service', services: Object.keys(oncall.services) };
      const policyName = oncall.services[service]!.escalationPolicy;
      const policy = oncall.escalationPolicies[policyName];
      if (!policy) return { ok: false, reason: 'no_policy', service };
      const result = await outbox.transaction<EngageResult>(async (tx, emit) => {
        // Shares the row with a status change: a resolve either sees this escalation (and stops it)
        // or committed first (and nothing starts).
        const { rows } = await tx.query<{ status: string; service: string | null }>(
          'SELECT status, service FROM incidents WHERE id = $1 FOR SHARE',
          [incidentId],
        );
        const incident = rows[0];
        if (!incident || incident.status === 'resolved' || incident.status === 'closed')
          return { ok: false, reason: 'not_open' };
        if (incident.service === service) return { ok: false, reason: 'own_service', service };
        const at = clock.now();
        const team = { service, by: request.by, reason: request.reason };
        // A team paged in before and stopped since (resolved, then reopened) is paged again.
        const started =
          (await insertEscalation(tx, { incidentId, policyName, policy, startedAt: at, team })) ??
          (await reengage(tx, incidentId, service, { by: request.by, reason: request.reason, at }));
        if (!started) {
          const existing = await findEngagedEscalation(tx, incidentId, service);
          return { ok: false, reason: 'already_engaged', escalation: existing! };
        }
        await appendTimelineEvent(
          tx,
          incidentId,
          {
            kind: 'escalation.started',
            details: {
              policy: policyName,
              levels: policy.levels.length,
              repeat: policy.repeat,
              service,
              reason: request.reason,
            },
          },
          { occurredAt: at, actorId: request.by },
        );
        // The card lists the teams engaged.
        emit(incidentRefreshJob, { incidentId });
        return { ok: true, escalation: started };
      });
      if (result.ok) {
        const { id, epoch, nextStepAt } = result.escalation;
        await jobs.scheduleStep({ escalationId: id, epoch, step: 0, loop: 0, dueAt: nextStepAt! });
      }
      return result;
    },
  };
}
