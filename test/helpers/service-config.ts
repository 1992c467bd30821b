import type { Service } from '../../src/escalation/oncall-config.js';

/** A service as `oncall.yaml` builds it, on the `default` policy with nothing else set, plus `fields`. */
export function serviceConfig(name: string, fields: Partial<Service> = {}): Service {
  return {
    name,
    escalationPolicy: 'default',
    slo: undefined,
    sli: undefined,
    runbook: undefined,
    alertKey: undefined,
    alerts: { declare: undefined, channel: undefined },
    heartbeats: {},
    ...fields,
  };
}
