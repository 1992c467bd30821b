import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { mayMaintain } from '../../../src/alerts/maintenance-access.js';
import { parseOncallConfig } from '../../../src/escalation/oncall-config.js';

// checkout pages schedule primary (Bob by id, Carol by email), then Dan directly; billing uses the
// default policy (schedule secondary: Fred). Erin is an admin by email.
const oncall = parseOncallConfig(
  stringify({
    admins: ['U0ADMIN01', 'Erin@Acme.test'],
    schedules: {
      primary: {
        timezone: 'UTC',
        rotation: { length: '1 week', handoff: '09:00', start: '2026-01-05' },
        participants: ['U0BOB0001', 'carol@acme.test'],
      },
      secondary: {
        timezone: 'UTC',
        rotation: { length: '1 week', handoff: '09:00', start: '2026-01-05' },
        participants: ['U0FRED001'],
      },
    },
    escalation_policies: {
      checkout: {
        levels: [
          { notify: ['schedule:primary'], escalate_after: '5m' },
          { notify: ['user:U0DAN0001'], escalate_after: '5m' },
        ],
      },
      fallback: { levels: [{ notify: ['schedule:secondary'], escalate_after: '5m' }] },
    },
    services: { checkout: { escalation_policy: 'checkout' }, billing: { escalation_policy: 'fallback' } },
    paging: { default_policy: 'fallback' },
  }),
);

const who = (id: string, email: string | null = null) => ({ id, email });

describe('who may start or end a service’s maintenance', () => {
  it.each([
    ['an admin by id, for any service', who('U0ADMIN01'), 'billing', true],
    ['an admin by email, whatever its case', who('U0ERIN001', 'erin@acme.test'), 'checkout', true],
    ['a participant of a schedule the policy pages', who('U0BOB0001'), 'checkout', true],
    ['a participant named by email', who('U0CAROL01', 'CAROL@acme.test'), 'checkout', true],
    ['a person a level names directly', who('U0DAN0001'), 'checkout', true],
    ['someone paged for another service only', who('U0FRED001'), 'checkout', false],
    ['the same person for their own service', who('U0FRED001'), 'billing', true],
    ['a stranger', who('U0OSCAR01', 'oscar@acme.test'), 'checkout', false],
    ['anyone but an admin, for a service that does not exist', who('U0BOB0001'), 'nosuch', false],
  ])('%s', (_what, actor, service, allowed) => {
    expect(mayMaintain(actor, service, oncall)).toBe(allowed);
  });
});
