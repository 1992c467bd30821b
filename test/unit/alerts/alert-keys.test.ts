import { describe, expect, it } from 'vitest';
import { createAlertKeyIndex } from '../../../src/alerts/alert-keys.js';
import { serviceConfig } from '../../helpers/service-config.js';

const service = (name: string, alertKey: string | undefined) => serviceConfig(name, { alertKey });

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
