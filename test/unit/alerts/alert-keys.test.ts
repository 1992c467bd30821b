import { describe, expect, it } from 'vitest';
import { createAlertKeyIndex } from '../../../src/alerts/alert-keys.js';
import type { Service } from '../../../src/escalation/oncall-config.js';

function service(name: string, alertKey: string | undefined): Service {
  return {
    name,
    escalationPolicy: 'default',
    slo: undefined,
    sli: undefined,
    runbook: undefined,
    alertKey,
    alerts: { declare: undefined, channel: undefined },
    heartbeats: {},
  };
}

describe('the alert key index', () => {
  const keys = createAlertKeyIndex({
    checkout: service('checkout', 'c'.repeat(40)),
    payments: service('payments', 'p'.repeat(40)),
    search: service('search', undefined),
  });

  it('finds the service a key belongs to', () => {
    expect(keys.serviceFor('c'.repeat(40))?.name).toBe('checkout');
    expect(keys.serviceFor('p'.repeat(40))?.name).toBe('payments');
  });

  it('finds nothing for an unknown key, a prefix of a key, or the empty key', () => {
    expect(keys.serviceFor('c'.repeat(39))).toBeNull();
    expect(keys.serviceFor(`${'c'.repeat(40)}x`)).toBeNull();
    expect(keys.serviceFor('')).toBeNull();
  });

  it('finds nothing when no service has a key', () => {
    expect(createAlertKeyIndex({ search: service('search', undefined) }).serviceFor('')).toBeNull();
  });
});
