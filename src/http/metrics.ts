import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  slackCalls: Counter<'method' | 'outcome'>;
  /** Slack calls made while a database transaction was open: always a bug, should stay 0. */
  slackCallsInTransaction: Counter<'method'>;
  jobs: Counter<'queue' | 'name' | 'outcome'>;
  appHomeFailures: Counter<'reason'>;
  workerReplacements: Counter<'queue'>;
}

/** One registry per bot instance (no global default registry), so tests can run several. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'incident_bot_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'incident_bot_http_requests_total',
      help: 'HTTP requests served, by route and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'incident_bot_http_request_duration_seconds',
      help: 'Time to answer HTTP requests (for /slack/events: time to ack)',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 3, 5],
      registers: [registry],
    }),
    slackCalls: new Counter({
      name: 'incident_bot_slack_api_calls_total',
      help: 'Slack Web API calls by method and outcome (ok, an error code, rate_limited, http_5xx, network_error)',
      labelNames: ['method', 'outcome'],
      registers: [registry],
    }),
    slackCallsInTransaction: new Counter({
      name: 'incident_bot_slack_calls_in_transaction_total',
      help: 'Slack Web API calls made while a database transaction was open (a bug; should stay 0)',
      labelNames: ['method'],
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'incident_bot_jobs_total',
      help: 'Background jobs finished, by queue, job name and outcome',
      labelNames: ['queue', 'name', 'outcome'],
      registers: [registry],
    }),
    appHomeFailures: new Counter({
      name: 'incident_bot_app_home_publish_failures_total',
      help: 'App Home tabs that could not be published, by reason (a Slack error code, or internal)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    workerReplacements: new Counter({
      name: 'incident_bot_worker_replacements_total',
      help: 'Workers replaced by the watchdog because they stopped fetching jobs (jobs/worker-watchdog.ts)',
      labelNames: ['queue'],
      registers: [registry],
    }),
  };
}
