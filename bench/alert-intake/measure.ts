import type { SlackFake } from '@incident-bot/local-slack';
import type pg from 'pg';
import { machineBusyMicros, processTreeMicros } from '../shared.js';
import { sampleBackends } from './backend-sampler.js';
import { type LoadResult, runOpenLoop } from './open-loop.js';
import { type RoundFigures, stats, summarizeLoad } from './report.js';
import type { TargetProcess } from './targets.js';
import type { Workload } from './workload.js';

/** How long the bot may take to send every page of a run before the missing ones count as not paged. */
const PAGE_WAIT_MS = 60_000;

/** One target, one workload: the load, then the rows it left and (the bot) the pages it sent. */
export async function measureRound(options: {
  target: TargetProcess;
  /** Further processes of the same target (the bot's workers with --role split): their CPU counts too. */
  companions: TargetProcess[];
  workload: Workload;
  rate: number;
  reader: pg.Client;
  /** For the session sampler's own connection. */
  databaseUrl: string;
  /** The local Slack the bot pages through (its call log is counted). */
  slack: SlackFake;
  log: (line: string) => void;
}): Promise<RoundFigures> {
  const { target, workload, reader } = options;
  const slackCallsBefore = options.slack.calls().length;
  const commitsBefore = await commits(reader);
  const cpu = async () => {
    const all = await Promise.all([target, ...options.companions].map((t) => t.cpuMicros()));
    return all.reduce((sum, micros) => sum + micros, 0);
  };
  const cpuBefore = await cpu();
  const treeBefore = processTreeMicros();
  const machineBefore = machineBusyMicros();
  const sampler = await sampleBackends(
    options.databaseUrl,
    target.name === 'bot' ? 'incident-bot-' : 'bench-baseline',
  );
  const wallBefore = performance.now();
  const results = await runOpenLoop({
    url: target.url,
    rate: options.rate,
    requests: workload.requests,
    keepBody: (status) => status !== 202,
    // Generous: an overloaded target shows as latency rather than as answers given up on.
    timeoutMs: 30_000,
  });
  const cpuAfter = await cpu();
  const sessions = await sampler.stop();
  const tree = processTreeMicros();
  const machine = machineBusyMicros();
  const seconds = (performance.now() - wallBefore) / 1000;
  const ours =
    cpuAfter -
    cpuBefore +
    (['node', 'postgres', 'redis'] as const).reduce((t, g) => t + tree[g] - treeBefore[g], 0);
  const load = summarizeLoad(results);
  const figures: RoundFigures = {
    target: target.name,
    run: workload.run,
    sent: results.length,
    accepted: load.accepted.length,
    refused: load.refused,
    perSecond: load.perSecond,
    latency: load.latency,
    sessions,
    rows: 0,
    lost: 0,
    unanswered: 0,
    commitsPerEvent: 0,
    cpuMicrosPerEvent: (cpuAfter - cpuBefore) / results.length,
    postgresMicrosPerEvent: (tree.postgres - treeBefore.postgres) / results.length,
    redisMicrosPerEvent: (tree.redis - treeBefore.redis) / results.length,
    otherCores:
      machine === null || machineBefore === null
        ? null
        : Math.max(0, machine - machineBefore - ours) / 1e6 / seconds,
  };
  if (target.name === 'baseline') {
    figures.commitsPerEvent = ((await commits(reader)) - commitsBefore) / results.length;
    Object.assign(
      figures,
      await storedEvents(
        reader,
        'SELECT payload FROM bench_baseline_events WHERE dedup_key LIKE $1',
        `${workload.run}-%`,
        load.accepted,
      ),
    );
    return figures;
  }
  const servicePattern = `bench-${workload.run}-%`;
  Object.assign(
    figures,
    await storedEvents(
      reader,
      `SELECT payload FROM alert_events WHERE service LIKE $1 AND action = 'trigger'`,
      servicePattern,
      load.accepted,
    ),
  );
  const { rows } = await reader.query<{ open: string; count_sum: string; groups: string }>(
    `SELECT count(*) AS open, coalesce(sum(count), 0) AS count_sum, count(DISTINCT alert_group_id) AS groups
       FROM alerts WHERE service LIKE $1`,
    [servicePattern],
  );
  figures.alerts = {
    open: Number(rows[0]!.open),
    expected: workload.keys,
    countSum: Number(rows[0]!.count_sum),
    groups: Number(rows[0]!.groups),
  };
  options.log(`  waiting for the run's pages (up to ${PAGE_WAIT_MS / 1000} s)…`);
  figures.acceptToPage = await acceptToPage(reader, workload, results);
  figures.slackCalls = {};
  for (const call of options.slack.calls().slice(slackCallsBefore)) {
    figures.slackCalls[call.method] = (figures.slackCalls[call.method] ?? 0) + 1;
  }
  // Everything the run caused, the workers' page sends and refreshes included.
  figures.commitsPerEvent = ((await commits(reader)) - commitsBefore) / results.length;
  return figures;
}

/** Transactions committed in the database so far (Postgres reports them within a second or so). */
async function commits(reader: pg.Client): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const { rows } = await reader.query<{ n: string }>(
    'SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()',
  );
  return Number(rows[0]!.n);
}

/**
 * The run's rows (`sql` selects their stored `payload`, the event as sent), matched to the events by
 * the index each carries in custom_details: accepted events with no row are lost; rows of events whose
 * answer never arrived (the client gave up) are counted apart.
 */
async function storedEvents(
  reader: pg.Client,
  sql: string,
  pattern: string,
  accepted: LoadResult[],
): Promise<Pick<RoundFigures, 'rows' | 'lost' | 'unanswered'>> {
  const { rows } = await reader.query<{ payload: { payload?: { custom_details?: { event?: number } } } }>(
    sql,
    [pattern],
  );
  const stored = new Set(rows.map((r) => r.payload.payload?.custom_details?.event));
  const answered = new Set(accepted.map((r) => r.tag));
  return {
    rows: rows.length,
    lost: accepted.filter((r) => !stored.has(r.tag)).length,
    unanswered: [...stored].filter((event) => event === undefined || !answered.has(event)).length,
  };
}

interface GroupPage {
  service: string;
  first_key: string;
  sent_at: Date | null;
}

/**
 * For each group the run opened: its first alert's first accepted event (the 202 that reached the load
 * generator first) → its first page DM sent (`pages.sent_at`). Waits until every group has one or
 * PAGE_WAIT_MS passed; groups still without one are reported as not paged.
 */
async function acceptToPage(reader: pg.Client, workload: Workload, results: LoadResult[]) {
  const acceptedAt = new Map<string, number>();
  for (const r of results) {
    if (r.status !== 202) continue;
    const { service, dedupKey } = workload.events[r.tag]!;
    const key = `${service}\n${dedupKey}`;
    const at = performance.timeOrigin + r.answeredAt;
    const earlier = acceptedAt.get(key);
    if (earlier === undefined || at < earlier) acceptedAt.set(key, at);
  }
  const deadline = Date.now() + PAGE_WAIT_MS;
  let groups: GroupPage[] = [];
  for (;;) {
    ({ rows: groups } = await reader.query<GroupPage>(
      `SELECT g.service,
              (SELECT a.dedup_key FROM alerts a WHERE a.alert_group_id = g.id ORDER BY a.id LIMIT 1) AS first_key,
              (SELECT min(p.sent_at) FROM pages p WHERE p.alert_group_id = g.id AND p.status = 'sent') AS sent_at
         FROM alert_groups g WHERE g.service LIKE $1`,
      [`bench-${workload.run}-%`],
    ));
    if (groups.every((g) => g.sent_at !== null) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const latencies = groups
    .filter((g) => g.sent_at !== null)
    .map((g) => g.sent_at!.getTime() - (acceptedAt.get(`${g.service}\n${g.first_key}`) ?? Number.NaN));
  return { ...stats(latencies), unpaged: groups.filter((g) => g.sent_at === null).length };
}
