import { readFile, writeFile } from 'node:fs/promises';
import { expect } from 'vitest';
import type { Followup } from '../../../src/incidents/followup-repo.js';
import type { Incident } from '../../../src/incidents/incident-types.js';
import type { PostmortemNarrative } from '../../../src/postmortem/postmortem-draft.js';
import type { TimelineEvent } from '../../../src/timeline/timeline-events.js';

/** The incident, timeline, follow-ups and narrative the postmortem tests start from. */
export const DAY = 86_400_000;
export const at = (hhmm: string) => new Date(`2026-11-21T${hhmm}:00Z`);

export const incident: Incident = {
  id: 7,
  number: 12,
  title: 'API latency spike',
  summary: 'p99 latency of the public API rose above 2 s for EU customers.',
  severity: 'SEV2',
  status: 'closed',
  isPrivate: false,
  service: 'checkout',
  reporterId: 'UALICE0001',
  commanderId: 'UBOB000001',
  originChannelId: 'CGENERAL01',
  declaredAt: at('14:00'),
  resolvedAt: at('14:45'),
  closedAt: at('15:30'),
  updatedAt: at('15:30'),
  channelId: 'CINC000012',
  channelName: 'inc-12-api-latency-spike',
  commsId: null,
  scribeId: null,
  lastUpdateText: null,
  lastUpdateAt: null,
  version: 9,
  reminderDueAt: null,
  reminderEpoch: 0,
  runbookUrl: null,
};

let nextId = 1;
export const event = (
  time: string,
  e: Pick<TimelineEvent, 'kind' | 'details'>,
  actorId: string | null = null,
) =>
  ({
    ...e,
    id: nextId++,
    incidentId: 7,
    occurredAt: at(time),
    recordedAt: at(time),
    actorId,
  }) as TimelineEvent;

export const events: TimelineEvent[] = [
  event(
    '14:00',
    {
      kind: 'incident.declared',
      details: {
        title: 'API latency spike',
        severity: 'SEV2',
        isPrivate: false,
        service: 'checkout',
        commanderId: 'UBOB000001',
        summary: null,
      },
    },
    'UALICE0001',
  ),
  event('14:00', { kind: 'escalation.started', details: { policy: 'default', levels: 3, repeat: 1 } }),
  event('14:01', {
    kind: 'escalation.paged',
    details: { level: 1, pass: 1, targets: [{ target: 'UCAROL0001', via: 'schedule:primary' }] },
  }),
  event('14:06', { kind: 'escalation.acknowledged', details: { by: 'UCAROL0001' } }, 'UCAROL0001'),
  event(
    '14:10',
    { kind: 'incident.status_changed', details: { from: 'investigating', to: 'identified' } },
    'UBOB000001',
  ),
  event(
    '14:12',
    {
      kind: 'timeline.message_added',
      details: {
        channelId: 'CINC000012',
        ts: '1.2',
        authorId: 'UCAROL0001',
        text: 'DB CPU at 100% | since the <https://ci.example/deploy/41|deploy 41>',
        permalink: null,
        via: 'pin',
      },
    },
    'UCAROL0001',
  ),
  event('14:20', { kind: 'incident.note_added', details: { text: 'Rolling back deploy 41' } }, 'UBOB000001'),
  event(
    '14:30',
    { kind: 'incident.update_posted', details: { text: 'Rolled back; latency recovering' } },
    'UBOB000001',
  ),
  event(
    '14:45',
    { kind: 'incident.status_changed', details: { from: 'identified', to: 'resolved' } },
    'UBOB000001',
  ),
];

export const followups: Followup[] = [
  {
    id: 1,
    incidentId: 7,
    text: 'Alert on DB CPU above 90% for 5 min',
    ownerId: 'UCAROL0001',
    dueDate: '2026-12-01',
    priority: 'high',
    createdBy: 'UBOB000001',
    createdAt: at('14:50'),
  },
  {
    id: 2,
    incidentId: 7,
    text: 'Canary deploys for the query planner change',
    ownerId: null,
    dueDate: null,
    priority: 'normal',
    createdBy: 'UBOB000001',
    createdAt: at('14:55'),
  },
];

export const narrative: PostmortemNarrative = {
  resolution: 'Rolled back to v1.2.3',
  rootCause: 'Deploy 41 changed a query plan; the orders table scan saturated the primary database.',
  usersAffected: '~12,000',
  requestsImpacted: '1.4 M',
  revenueImpact: '€8,000 estimated',
  wentWell: 'The page was acknowledged within 5 minutes.',
  wentWrong: 'The slow query was not caught in staging.',
  lessons: 'Query plans need load testing with production-sized data.',
  prevention: 'Add a plan-regression check to CI.',
};

export const names = { UALICE0001: 'alice', UBOB000001: 'bob', UCAROL0001: 'carol' };
export const empty: PostmortemNarrative = {
  resolution: null,
  rootCause: null,
  usersAffected: null,
  requestsImpacted: null,
  revenueImpact: null,
  wentWell: null,
  wentWrong: null,
  lessons: null,
  prevention: null,
};

export async function golden(name: string, actual: string) {
  const path = new URL(`../../fixtures/postmortem/${name}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN === '1') await writeFile(path, actual);
  expect(actual).toBe(await readFile(path, 'utf8'));
}
