import { describe, expect, it } from 'vitest';
import {
  type Ability,
  type AccessFacts,
  decide,
  factsOf,
  may,
  mayAcknowledge,
  mayChange,
  mayEscalate,
  mayPage,
  mayView,
} from '../../../src/incidents/access.js';

const REPORTER = 'UREPORTER';
const COMMANDER = 'UCOMMANDER';
const COMMS = 'UCOMMS';
const SCRIBE = 'USCRIBE';
const PAGED = 'UPAGED';
const ADMIN = 'UADMIN';
const OUTSIDER = 'UOUTSIDER';

const facts = (isPrivate: boolean): AccessFacts =>
  factsOf(
    { isPrivate, reporterId: REPORTER, commanderId: COMMANDER, commsId: COMMS, scribeId: SCRIBE },
    [PAGED],
    [ADMIN],
  );

type Row = [who: string, userId: string, member: boolean, view: boolean, change: boolean, ack: boolean];

/**
 * Private incident: [who, user, in its channel, may view, may change (and page), may acknowledge].
 * Escalating is allowed to whoever may page, and to the people paged.
 */
const PRIVATE: Row[] = [
  ['reporter alone', REPORTER, false, true, false, false],
  ['reporter in the channel', REPORTER, true, true, true, false],
  ['commander', COMMANDER, false, true, true, true],
  ['comms', COMMS, false, true, true, true],
  ['scribe', SCRIBE, false, true, true, true],
  ['a person paged for it', PAGED, false, true, false, true],
  ['a person paged for it, in the channel', PAGED, true, true, true, true],
  ['an admin', ADMIN, false, true, true, true],
  ['a channel member', OUTSIDER, true, true, true, false],
  ['an outsider', OUTSIDER, false, false, false, false],
];

/** Public incident: everyone views; changing still needs a role, the channel or admin. */
const PUBLIC: Row[] = [
  ['reporter alone', REPORTER, false, true, false, false],
  ['commander', COMMANDER, false, true, true, true],
  ['a person paged for it', PAGED, false, true, false, true],
  ['an admin', ADMIN, false, true, true, true],
  ['a channel member (not paged, no role)', OUTSIDER, true, true, true, false],
  ['an outsider', OUTSIDER, false, true, false, false],
];

describe('the access rule', () => {
  for (const [title, isPrivate, rows] of [
    ['a private incident', true, PRIVATE],
    ['a public incident', false, PUBLIC],
  ] as const) {
    describe(title, () => {
      it.each(rows)('%s', (_who, userId, isChannelMember, view, change, ack) => {
        const asker = { userId, isChannelMember };
        const f = facts(isPrivate);
        const escalate = change || userId === PAGED;
        const expected = { view, change, page: change, acknowledge: ack, escalate };
        expect({
          view: mayView(f, asker),
          change: mayChange(f, asker),
          page: mayPage(f, asker),
          acknowledge: mayAcknowledge(f, asker),
          escalate: mayEscalate(f, asker),
        }).toEqual(expected);
        for (const ability of Object.keys(expected) as Ability[]) {
          expect(may(ability, f, asker)).toBe(expected[ability]);
        }
      });
    });
  }

  it('takes the role holders from the incident, ignoring roles nobody holds', () => {
    const f = factsOf(
      { isPrivate: true, reporterId: REPORTER, commanderId: null, commsId: null, scribeId: null },
      [],
      [],
    );
    expect(f.roleHolders).toEqual([null, null, null]);
    expect(mayView(f, { userId: COMMANDER, isChannelMember: false })).toBe(false);
    expect(mayChange(f, { userId: REPORTER, isChannelMember: false })).toBe(false);
  });
});

describe('deciding a request', () => {
  const ask = (answer: boolean) => {
    const calls: number[] = [];
    const member = async () => {
      calls.push(1);
      return answer;
    };
    return { calls, member };
  };

  it('answers a stranger to a private incident as if it did not exist', async () => {
    const m = ask(false);
    expect(await decide('change', facts(true), OUTSIDER, m.member)).toBe('hidden');
    expect(m.calls).toHaveLength(1);
  });

  it('refuses a viewer who may not do it, and allows one who may', async () => {
    expect(await decide('change', facts(true), PAGED, ask(false).member)).toBe('refused');
    expect(await decide('acknowledge', facts(false), OUTSIDER, ask(true).member)).toBe('refused');
    expect(await decide('change', facts(false), OUTSIDER, ask(true).member)).toBe('allowed');
    expect(await decide('acknowledge', facts(true), PAGED, ask(false).member)).toBe('allowed');
    expect(await decide('escalate', facts(true), PAGED, ask(false).member)).toBe('allowed');
    expect(await decide('page', facts(true), PAGED, ask(false).member)).toBe('refused');
  });

  it('asks Slack about channel membership only when the answer depends on it, and at most once', async () => {
    const admin = ask(false);
    expect(await decide('change', facts(true), ADMIN, admin.member)).toBe('allowed');
    expect(admin.calls).toHaveLength(0);
    const viewer = ask(false);
    expect(await decide('view', facts(false), OUTSIDER, viewer.member)).toBe('allowed');
    expect(viewer.calls).toHaveLength(0);
    const member = ask(true);
    expect(await decide('change', facts(true), OUTSIDER, member.member)).toBe('allowed');
    expect(member.calls).toHaveLength(1);
  });
});
