import type { Clock } from '../clock.js';
import type { Pool } from '../db/pool.js';
import { notifyTestJob } from '../jobs/notify-test.js';
import type { Outbox } from '../jobs/outbox.js';
import { THROTTLE_LIMITS, THROTTLE_WINDOW_MS } from '../notify/throttle.js';
import { CLAIM_LEASE_MS } from './deliver-one.js';
import { type ChannelSender, type PageMessage, type RetryOptions, sendWithRetry } from './delivery-port.js';
import {
  claimTest,
  findTest,
  findTestByNonce,
  finishTest,
  insertTest,
  listTestRequestsSince,
  lockTestsOf,
  markTestReported,
  type NotifyTest,
} from './notify-tests-repo.js';
import { type Identity, names } from './override-access.js';
import type { Channel, Person } from './people.js';

/** One test per person and channel a minute: the button cannot spam a phone. */
export const TEST_THROTTLE_MS = 60_000;

/**
 * How long until one more test of `channel` may go (0: now), given when earlier ones were asked for
 * (oldest first): one a minute, and within the page throttle's limits (3 calls, 5 SMS per 15 minutes).
 */
export function testThrottleWaitMs(channel: Channel, requestedAt: readonly Date[], now: Date): number {
  const at = now.getTime();
  const recent = requestedAt.map((d) => d.getTime()).filter((t) => t > at - THROTTLE_WINDOW_MS && t <= at);
  const last = recent.at(-1);
  const perMinute = last === undefined ? 0 : last + TEST_THROTTLE_MS - at;
  const limit = THROTTLE_LIMITS[channel];
  const window =
    limit !== undefined && recent.length >= limit
      ? recent[recent.length - limit]! + THROTTLE_WINDOW_MS - at
      : 0;
  return Math.max(0, perMinute, window);
}

export const TEST_TITLE = 'Test notification from incident-bot';

/** What a test says on every channel: clearly a test, with nothing to acknowledge. */
export function testMessage(channel: Channel): PageMessage {
  return {
    pageId: null,
    severity: 'SEV1',
    title: TEST_TITLE,
    body: `This is a test of your ${channel} notification rule, sent because you pressed Send test in Slack. Nothing is wrong and there is nothing to acknowledge.`,
    ackUrl: null,
  };
}

/** The person `who` is in oncall.yaml's `people:` (by Slack id, or by email without regard to case). */
export function findPerson(people: Record<string, Person>, who: Identity): Person | null {
  return Object.values(people).find((person) => names(person.key, who)) ?? null;
}

/** Where a channel reaches the person: phone, push topic or email ('' for Slack); null when unset. */
export function targetOf(person: Person, channel: Channel): string | null {
  const target = {
    slack: '',
    sms: person.phone,
    voice: person.phone,
    push: person.pushTopic,
    email: person.email,
  }[channel];
  return target ?? null;
}

/** The channels of a person's rules that a test can reach now: configured, with a contact. In rule order. */
export function testableChannels(person: Person, configured: ReadonlySet<Channel>): Channel[] {
  const channels = [...new Set(person.notify.map((rule) => rule.via))];
  return channels.filter((channel) => configured.has(channel) && targetOf(person, channel) !== null);
}

/** What `/incident oncall me` and App Home show of a person's rules. */
export interface PersonRules {
  /** Their entry in `people:`; null: Slack DMs only. */
  person: Person | null;
  /** Channels whose provider the environment configures (Slack always). */
  configured: ReadonlySet<Channel>;
  /** Channels a test can reach (configured, with a contact), in rule order. */
  testable: Channel[];
}

export type TestRequestOutcome =
  | { kind: 'queued'; channel: Channel; target: string }
  /** The same click again (a double click, a Slack retry): one test. */
  | { kind: 'already_requested'; channel: Channel }
  | { kind: 'throttled'; channel: Channel; retryInMs: number }
  /** Not the clicker's own rule, no such channel in their rules, or its provider is not configured. */
  | { kind: 'no_rule' };

/** Tells the person how their test went (a Slack DM; for `slack` that DM is the test itself). */
export interface NotifyTestReporter {
  /** `mayRepeat`: an earlier run may have told them already (the adapter looks first). */
  report(test: NotifyTest, mayRepeat: boolean): Promise<void>;
  /** How a test call ended (answered, busy, not answered…), once Twilio said. */
  reportCall(test: NotifyTest, mayRepeat: boolean): Promise<void>;
}

export interface NotifyTestsDeps {
  pool: Pool;
  clock: Clock;
  outbox: Outbox;
  people: Record<string, Person>;
  configured: ReadonlySet<Channel>;
  senders: Partial<Record<Exclude<Channel, 'slack'>, ChannelSender>>;
  reporter: NotifyTestReporter | null;
  retry?: RetryOptions;
}

export type NotifyTests = ReturnType<typeof createNotifyTests>;

/**
 * Test notifications: a person sends themself a marked test on one channel of their rules. The
 * request writes its row and the `notify.test` outbox row in one transaction; the job sends it once
 * and reports the outcome. Only the clicker's own rules can be tested: `owner` (from the button) must
 * be the clicker, and the person is found from the clicker's identity, never from the button.
 */
export function createNotifyTests(deps: NotifyTestsDeps) {
  const { pool, clock, outbox } = deps;
  return {
    /** The rules of `who`, from oncall.yaml (no query). */
    rulesFor(who: Identity): PersonRules {
      const person = findPerson(deps.people, who);
      return {
        person,
        configured: deps.configured,
        testable: person ? testableChannels(person, deps.configured) : [],
      };
    },

    /** Whether `who` could only be matched by email (the caller then needs their profile's email). */
    needsEmail: (userId: string) =>
      !(userId in deps.people) && Object.keys(deps.people).some((k) => k.includes('@')),

    async request(input: {
      clicker: Identity;
      owner: string;
      channel: string;
      nonce: string;
    }): Promise<TestRequestOutcome> {
      if (input.owner !== input.clicker.id) return { kind: 'no_rule' };
      const person = findPerson(deps.people, input.clicker);
      const channel = person
        ? testableChannels(person, deps.configured).find((c) => c === input.channel)
        : undefined;
      if (!person || !channel) return { kind: 'no_rule' };
      const target = targetOf(person, channel)!;
      return outbox.transaction(async (tx, emit): Promise<TestRequestOutcome> => {
        await lockTestsOf(tx, person.key, channel);
        if (await findTestByNonce(tx, { userId: input.clicker.id, channel, nonce: input.nonce }))
          return { kind: 'already_requested', channel };
        const now = clock.now();
        const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
        const retryInMs = testThrottleWaitMs(
          channel,
          await listTestRequestsSince(tx, person.key, channel, since),
          now,
        );
        if (retryInMs > 0) return { kind: 'throttled', channel, retryInMs };
        const test = await insertTest(tx, {
          userId: input.clicker.id,
          nonce: input.nonce,
          person: person.key,
          channel,
          target,
          requestedAt: now,
        });
        emit(notifyTestJob, { testId: test.id });
        return { kind: 'queued', channel, target };
      });
    },

    /** The job: send once (a run that finds the test claimed before never sends again), then report. */
    async run(testId: number, mayRepeat: boolean): Promise<void> {
      const claimed = await claimTest(pool, testId, clock.now());
      let test = claimed ? await send(claimed) : await findTest(pool, testId);
      if (!test) return;
      if (test.status === 'pending') {
        // Another run is sending it: this one retries later, and finds it finished.
        if (test.claimedAt && clock.now().getTime() - test.claimedAt.getTime() < CLAIM_LEASE_MS)
          throw new Error(`test notification ${testId} is being sent by another run`);
        // That run died between claiming and recording: it may have sent, so never again.
        test =
          (await finishTest(pool, testId, {
            status: 'failed',
            error: 'interrupted while sending; it may still arrive',
            at: clock.now(),
          })) ?? test;
      }
      if (test.reportedAt || !deps.reporter) return;
      await deps.reporter.report(test, mayRepeat);
      await markTestReported(pool, testId, clock.now());
    },

    /** The job after a test call's final status was recorded. */
    async reportCall(testId: number, mayRepeat: boolean): Promise<void> {
      const test = await findTest(pool, testId);
      if (test?.callStatus && deps.reporter) await deps.reporter.reportCall(test, mayRepeat);
    },
  };

  async function send(test: NotifyTest): Promise<NotifyTest | null> {
    if (test.channel === 'slack') return finishTest(pool, test.id, { status: 'sent', at: clock.now() });
    const sender = deps.senders[test.channel];
    const outcome = sender
      ? await sendWithRetry(sender, test.target, testMessage(test.channel), deps.retry)
      : { ok: false as const, error: `${test.channel} is not configured` };
    return finishTest(
      pool,
      test.id,
      outcome.ok
        ? { status: 'sent', receipt: outcome.receipt, at: clock.now() }
        : { status: 'failed', error: outcome.error, at: clock.now() },
    );
  }
}
