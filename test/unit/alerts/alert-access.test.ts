import { describe, expect, it } from 'vitest';
import {
  type AlertGroupAbility,
  type AlertGroupFacts,
  decideAlertGroup,
  mayOnAlertGroup,
} from '../../../src/alerts/alert-access.js';

const PAGED = 'UPAGED';
const ADMIN = 'UADMIN';
const OTHER = 'UOTHER';
const ABILITIES: AlertGroupAbility[] = ['view', 'acknowledge', 'escalate', 'resolve', 'declare'];

const facts = (alertsChannelId: string | null): AlertGroupFacts => ({
  pagedUserIds: [PAGED],
  admins: [ADMIN],
  alertsChannelId,
});

/** [who, user, the service has an alerts channel, the asker is in it, may act]. */
const TABLE: [string, string, boolean, boolean, boolean][] = [
  ['a person paged for it', PAGED, false, false, true],
  ['a person paged for it, with an alerts channel they are not in', PAGED, true, false, true],
  ['an admin', ADMIN, false, false, true],
  ['a member of the alerts channel', OTHER, true, true, true],
  ['anyone else, with an alerts channel', OTHER, true, false, false],
  ['anyone else, without an alerts channel', OTHER, false, false, false],
  // Membership of "no channel" means nothing (a caller that answered true by mistake).
  ['a "member" of a channel the service does not have', OTHER, false, true, false],
];

describe('the alert group access rule', () => {
  for (const [who, userId, hasChannel, member, allowed] of TABLE) {
    it(`${allowed ? 'lets' : 'does not let'} ${who} act on the group`, async () => {
      const f = facts(hasChannel ? 'C0ALERTS' : null);
      for (const ability of ABILITIES) {
        expect(mayOnAlertGroup(ability, f, { userId, isAlertsChannelMember: member }), ability).toBe(allowed);
      }
      expect(await decideAlertGroup(f, userId, async () => member)).toBe(allowed ? 'allowed' : 'hidden');
    });
  }

  it('asks Slack about membership only when the answer depends on it', async () => {
    let asked = 0;
    const member = async () => {
      asked++;
      return true;
    };
    await decideAlertGroup(facts('C0ALERTS'), PAGED, member);
    await decideAlertGroup(facts(null), OTHER, member);
    expect(asked).toBe(0);
    expect(await decideAlertGroup(facts('C0ALERTS'), OTHER, member)).toBe('allowed');
    expect(asked).toBe(1);
  });
});
