import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createIncidentService,
  createIncidentSetup,
  type IncidentService,
} from '../../src/incidents/incident-service.js';
import { createIncidentSetupStore } from '../../src/incidents/incident-setup-store.js';
import type { Incident } from '../../src/incidents/incident-types.js';
import { type IncidentWorkspace, WorkspaceRefusal } from '../../src/incidents/incident-workspace.js';
import { findSlackPresence } from '../../src/incidents/slack-presence-repo.js';
import { type ServiceDb, serviceDb, timelineKinds } from '../helpers/service-deps.js';

const BOT = 'U0BOT';
let channelsCreated = 0;

/**
 * The workspace port as a recording fake: every call in order; `refuse` names calls the workspace
 * refuses for good, `taken` channel names that exist (with their creator).
 */
function recordingWorkspace() {
  const calls: string[] = [];
  const refuse = new Set<string>();
  const taken = new Map<string, { id: string; creator: string }>();
  let ts = 0;
  const record = async (call: string) => {
    calls.push(call);
    if (refuse.has(call.split(' ')[0]!)) throw new WorkspaceRefusal(`${call.split(' ')[0]}_refused`);
  };
  const workspace: IncidentWorkspace = {
    botUserId: async () => BOT,
    async createChannel(name) {
      await record(`createChannel ${name}`);
      if (taken.has(name)) return { ok: false, why: 'name_taken' };
      taken.set(name, { id: `C${++channelsCreated}`, creator: BOT });
      return { ok: true, id: taken.get(name)!.id, name };
    },
    findChannelCreatedBy: async (name, creator) =>
      taken.get(name)?.creator === creator ? taken.get(name)!.id : null,
    invite: (channel, user) => record(`invite ${channel} ${user}`),
    setTopic: (channel) => record(`setTopic ${channel}`),
    async postHeadline(channel) {
      await record(`postHeadline ${channel}`);
      return `${++ts}.0`;
    },
    pin: (channel, at) => record(`pin ${channel} ${at}`),
    async announce(channel) {
      await record(`announce ${channel}`);
      return `${++ts}.0`;
    },
    tell: (user, _origin, notice) => record(`tell ${user} ${notice.kind}`),
    post: (where, notice) => record(`post ${where} ${notice.kind}`),
    describeError: String,
  };
  return { workspace, calls, refuse, taken };
}

let db: ServiceDb;
let incidents: IncidentService;
let n = 0;

beforeAll(async () => {
  db = await serviceDb(inject('postgresAdminUrl'), '2026-03-04T10:00:00.000Z');
  incidents = createIncidentService({ pool: db.pool, clock: db.clock, logger: db.logger, outbox: db.outbox });
});
afterAll(async () => {
  await db?.pool.end();
});

async function declare(isPrivate = false): Promise<Incident> {
  const { incident } = await incidents.declare(
    {
      title: `Checkout errors ${++n}`,
      severity: 'SEV2',
      summary: null,
      service: null,
      isPrivate,
      reporterId: 'U0ALICE',
      commanderId: 'U0CAROL',
      originChannelId: 'C0GENERAL',
    },
    { idempotencyKey: `setup-${n}` },
  );
  return incident;
}

function setupWith(fake: ReturnType<typeof recordingWorkspace>) {
  return createIncidentSetup({
    store: createIncidentSetupStore({ pool: db.pool, clock: db.clock }),
    workspace: fake.workspace,
    logger: db.logger,
    announceChannelId: 'C0ANNOUNCE',
  });
}

const once = { mayRepeat: false, finalAttempt: false };

describe('incident set-up service (real Postgres, recording workspace)', () => {
  it('runs the steps in order, records each, and a second run repeats none of them', async () => {
    const fake = recordingWorkspace();
    const incident = await declare();
    const name = `inc-${incident.number}-checkout-errors-${n}`;
    await setupWith(fake).run(incident.id, once);
    await setupWith(fake).run(incident.id, { mayRepeat: true, finalAttempt: false });
    const channel = fake.taken.get(name)!.id;
    expect(fake.calls).toEqual([
      `createChannel ${name}`,
      `invite ${channel} U0ALICE`,
      `invite ${channel} U0CAROL`,
      `setTopic ${channel}`,
      `postHeadline ${channel}`,
      `pin ${channel} 1.0`,
      'announce C0ANNOUNCE',
      'tell U0ALICE declared',
    ]);
    const presence = await findSlackPresence(db.pool, incident.id);
    expect(presence).toMatchObject({ headlineTs: '1.0', announceTs: '2.0', announceChannelId: 'C0ANNOUNCE' });
    expect(presence.setupCompletedAt).not.toBeNull();
    expect(await timelineKinds(db, incident.id)).toContain('incident.channel_created');
  });

  it('goes on without a refused step, records it on the timeline and says so in the channel', async () => {
    const fake = recordingWorkspace();
    fake.refuse.add('setTopic');
    const incident = await declare(true);
    await setupWith(fake).run(incident.id, once);
    expect(fake.calls).toContain(`post ${[...fake.taken.values()][0]!.id} step_failed`);
    // Private: never announced.
    expect(fake.calls.some((c) => c.startsWith('announce'))).toBe(false);
    expect(await timelineKinds(db, incident.id)).toContain('incident.setup_step_failed');
    expect((await findSlackPresence(db.pool, incident.id)).setupCompletedAt).not.toBeNull();
  });

  it('adopts its own unclaimed channel on name_taken when the run may repeat, and skips a stranger’s', async () => {
    const fake = recordingWorkspace();
    const mine = await declare();
    const stranger = await declare();
    const mineName = `inc-${mine.number}-checkout-errors-${n - 1}`;
    const strangerName = `inc-${stranger.number}-checkout-errors-${n}`;
    fake.taken.set(mineName, { id: 'CMINE', creator: BOT });
    fake.taken.set(strangerName, { id: 'CSTRANGER', creator: 'U0SOMEONE' });
    await setupWith(fake).run(mine.id, { mayRepeat: true, finalAttempt: false });
    await setupWith(fake).run(stranger.id, { mayRepeat: true, finalAttempt: false });
    const channels = await db.rows<{ id: number; channel_id: string; channel_name: string }>(
      'SELECT id, channel_id, channel_name FROM incidents WHERE id = ANY($1) ORDER BY id',
      [[mine.id, stranger.id]],
    );
    expect(channels.map((c) => c.channel_id)).toEqual(['CMINE', expect.not.stringMatching(/CSTRANGER/)]);
    expect(channels[1]!.channel_name).toBe(`${strangerName}-2`);
  });

  it('gives up when the channel is refused: marks the set-up failed and tells the reporter', async () => {
    const fake = recordingWorkspace();
    fake.refuse.add('createChannel');
    const incident = await declare();
    await setupWith(fake).run(incident.id, once);
    expect(fake.calls.slice(1)).toEqual(['post U0ALICE channel_refused']);
    expect((await findSlackPresence(db.pool, incident.id)).setupFailedAt).not.toBeNull();
  });
});
