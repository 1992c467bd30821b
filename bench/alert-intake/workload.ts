import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import type { LoadRequest } from './open-loop.js';

/**
 * The benchmark's services and events. Each run (warm-up, 500 keys, all distinct) has services of its
 * own, so an alert of one run never joins a group another run opened (an unacknowledged group absorbs
 * its service's new alerts for paging.group_window), and every run's first alerts page.
 */
export interface BenchService {
  name: string;
  alertKey: string;
}

export interface Workload {
  run: string;
  services: BenchService[];
  requests: LoadRequest[];
  /** Per tag (= request index): the service and dedup key it triggers. */
  events: Array<{ service: string; dedupKey: string }>;
  /** How many different dedup keys the events use. */
  keys: number;
}

export function benchServices(run: string, count: number): BenchService[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `bench-${run}-${String(i).padStart(3, '0')}`,
    // Alert keys are secrets of at least 32 characters.
    alertKey: `bench-${run}-${i}-${randomBytes(16).toString('hex')}`,
  }));
}

/**
 * `events` PagerDuty Events v2 triggers over `keys` dedup keys (event i uses key i mod keys), the keys
 * spread over the services (key k goes to service k mod services). Bodies look like what a monitoring
 * system sends: a summary, source, severity, component, group, class and a few custom details.
 */
export function buildWorkload(run: string, services: BenchService[], events: number, keys: number): Workload {
  const severities = ['critical', 'error', 'warning', 'info'] as const;
  const requests: LoadRequest[] = [];
  const meta: Workload['events'] = [];
  for (let i = 0; i < events; i++) {
    const key = i % keys;
    const service = services[key % services.length]!;
    const dedupKey = `${run}-${key}`;
    const body = JSON.stringify({
      routing_key: service.alertKey,
      event_action: 'trigger',
      dedup_key: dedupKey,
      payload: {
        summary: `High error rate on ${service.name} (${dedupKey})`,
        source: `host-${key % 50}.bench.example`,
        severity: severities[key % severities.length],
        timestamp: new Date().toISOString(),
        component: 'api',
        group: 'checkout',
        class: 'http-5xx',
        custom_details: { error_rate: 0.021, threshold: 0.02, region: 'eu-west-1', event: i },
      },
      links: [{ href: `https://grafana.example/d/${key}`, text: 'Dashboard' }],
    });
    requests.push({ body, tag: i });
    meta.push({ service: service.name, dedupKey });
  }
  return { run, services, requests, events: meta, keys };
}

/** oncall.yaml for the bot: Bob (`person`) on call for every service, nothing escalates during a run. */
export function benchOncallYaml(person: string, services: BenchService[]): string {
  return stringify({
    timezone: 'UTC',
    schedules: {
      primary: {
        timezone: 'UTC',
        rotation: { length: '1 week', handoff: '09:00', start: '2026-01-05' },
        participants: [person],
      },
    },
    escalation_policies: { default: { levels: [{ notify: ['schedule:primary'], escalate_after: '30m' }] } },
    services: Object.fromEntries(
      services.map((s) => [s.name, { escalation_policy: 'default', alert_key: s.alertKey }]),
    ),
    paging: { default_policy: 'default' },
  });
}
