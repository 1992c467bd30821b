import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { oncallFixture, writeOncallFile } from '../helpers/oncall-fixture.js';
import { counterValues, findPromtool, runPromtool } from '../helpers/promtool.js';
import { spawnNode } from '../helpers/spawn-node.js';

/**
 * The rules `npm run slo:rules` writes, checked and run by the real promtool: synthetic request counters
 * in simulated time, and the alerts that must (and must not) fire, at the minutes the burn-rate maths
 * gives. Error ratios below are errors ÷ all requests; checkout's SLO is 99.9 %, so 1× burn is 0.1 %.
 */

const RUNBOOK = 'https://wiki.example/runbooks/checkout';
const SLI = {
  errors: 'http_requests_total{job="checkout",code=~"5.."}',
  total: 'http_requests_total{job="checkout"}',
};

let promtool: string;
let dir: string;
let oncallPath: string;
let cli: { code: number | string; output: string; stdout?: string };

/** `npm run slo:rules -- <args>` as a child process; resolves with its exit code and output. */
async function sloRules(args: string[], oncallConfig = '') {
  const env = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const run = spawnNode(['src/escalation/slo-rules-cli.ts', ...args], {
    ...env,
    ONCALL_CONFIG: oncallConfig,
  });
  let stdout = '';
  run.child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const code = await run.exited;
  return { code, output: run.output(), stdout };
}

beforeAll(async () => {
  promtool = findPromtool();
  dir = await mkdtemp(join(tmpdir(), 'slo-rules-'));
  oncallPath = await writeOncallFile(
    oncallFixture({
      levels: [['schedule:primary', '5m']],
      services: {
        checkout: { policy: 'default', slo: { target: 99.9, window: '30d' }, sli: SLI, runbook: RUNBOOK },
        search: {
          policy: 'default',
          slo: { target: 99.5, window: '28d' },
          sli: { errors: 'search_errors_total', total: 'search_requests_total' },
        },
        legacy: { policy: 'default', slo: { target: 99, window: '30d' } },
      },
    }),
    { bob: 'UBOB00001' },
  );
  cli = await sloRules([oncallPath, '--out', join(dir, 'rules.yaml')]);
}, 60_000);

type Severity = 'critical' | 'warning';
const TIERS = {
  ErrorBudgetBurn1h: {
    severity: 'critical',
    text: 'faster than 14.4×: errors above 1.44% over the last 1h and 5m',
  },
  ErrorBudgetBurn6h: {
    severity: 'critical',
    text: 'faster than 6×: errors above 0.6% over the last 6h and 30m',
  },
  ErrorBudgetBurn3d: {
    severity: 'warning',
    text: 'faster than 1×: errors above 0.1% over the last 3d and 6h',
  },
} as const satisfies Record<string, { severity: Severity; text: string }>;
type Alert = keyof typeof TIERS;

/** At `at` (e.g. `170m`), checkout's `alert` is firing (with its labels and annotations) or not at all. */
function expectAlert(at: string, alert: Alert, firing: boolean) {
  const { severity, text } = TIERS[alert];
  return {
    eval_time: at,
    alertname: alert,
    exp_alerts: firing
      ? [
          {
            exp_labels: { service: 'checkout', severity },
            exp_annotations: {
              summary: `checkout error budget burning ${text} (SLO 99.9%)`,
              runbook_url: RUNBOOK,
            },
          },
        ]
      : [],
  };
}

/**
 * Runs `promtool test rules` on the generated rules with checkout's two counters: `ok` requests (code
 * 200) and `errors` (code 500) as [steps, increase per step] segments, one sample per `interval`.
 */
async function promtoolTest(options: {
  interval: string;
  ok: Array<[number, number]>;
  errors: Array<[number, number]>;
  extraSeries?: Array<{ series: string; values: string }>;
  expect: ReturnType<typeof expectAlert>[];
}) {
  const file = join(dir, `test-${Math.random().toString(36).slice(2)}.yaml`);
  const test = {
    rule_files: ['rules.yaml'],
    evaluation_interval: options.interval,
    tests: [
      {
        interval: options.interval,
        input_series: [
          { series: 'http_requests_total{job="checkout",code="200"}', values: counterValues(options.ok) },
          { series: 'http_requests_total{job="checkout",code="500"}', values: counterValues(options.errors) },
          ...(options.extraSeries ?? []),
        ],
        alert_rule_test: options.expect,
      },
    ],
  };
  await writeFile(file, stringify(test));
  return runPromtool(promtool, ['test', 'rules', file], dir);
}

/**
 * Clean for 6h, then 8 errors per 1,000 good requests a minute for 5h: the 6h ratio 8k / (360,000 + 8k)
 * passes 0.006 at k ≈ 273 minutes; the 1h ratio stays at 0.79 %, under 1.44 %.
 */
const EIGHT_X_BURN = {
  interval: '1m',
  ok: [[660, 1000]],
  errors: [
    [360, 0],
    [300, 8],
  ],
} satisfies Omit<Parameters<typeof promtoolTest>[0], 'expect'>;

describe('npm run slo:rules, with the real promtool', { timeout: 150_000 }, () => {
  it('writes the three burn-rate tiers for each service with an slo and an sli, and promtool accepts them', async () => {
    expect(cli.code, cli.output).toBe(0);
    expect(cli.output).toContain('note: legacy has an slo but no sli: no burn-rate alerts');
    const check = await runPromtool(promtool, ['check', 'rules', 'rules.yaml'], dir);
    expect(check.code, check.output).toBe(0);
    expect(check.output).toContain('SUCCESS: 6 rules found');
    const rules = await readFile(join(dir, 'rules.yaml'), 'utf8');
    expect(rules).toContain(
      'sum(rate(search_errors_total[1h])) / sum(rate(search_requests_total[1h]))) > 0.072',
    );
    // Without --out the same rules go to standard output, from the file ONCALL_CONFIG names.
    const toStdout = await sloRules([], oncallPath);
    expect(toStdout.code, toStdout.output).toBe(0);
    expect(toStdout.stdout).toBe(rules);
  });

  it('refuses an on-call file with a bad selector, naming its path, and writes nothing (exit 1)', async () => {
    const bad = await writeOncallFile(
      oncallFixture({
        levels: [['schedule:primary', '5m']],
        services: {
          checkout: {
            policy: 'default',
            slo: { target: 99.9, window: '30d' },
            sli: { ...SLI, total: 'rate(x[5m])' },
          },
        },
      }),
      { bob: 'UBOB00001' },
    );
    const result = await sloRules([bad, '--out', join(dir, 'bad-rules.yaml')]);
    expect(result.code).toBe(1);
    expect(result.output).toContain('services.checkout.sli.total: expected a metric name');
    await expect(readFile(join(dir, 'bad-rules.yaml'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('pages on a 20× burn (2 % errors) once the 1h ratio passes 1.44 %, about 44 minutes in, and stops soon after the errors do', async () => {
    // Clean for 2h, then 20 errors per 1,000 good requests a minute for 1h, then clean again.
    // The 1h ratio after k minutes of errors is 20k / (60,000 + 20k): above 0.0144 once k > 43.8.
    const result = await promtoolTest({
      interval: '1m',
      ok: [[200, 1000]],
      errors: [
        [120, 0],
        [60, 20],
        [20, 0],
      ],
      expect: [
        expectAlert('125m', 'ErrorBudgetBurn1h', false), // the 5m ratio is high, the 1h one not yet
        expectAlert('155m', 'ErrorBudgetBurn1h', false), // 35 minutes in: 700 / 60,700 = 1.15 %
        expectAlert('170m', 'ErrorBudgetBurn1h', true), // 50 minutes in: 1,000 / 61,000 = 1.64 %
        expectAlert('180m', 'ErrorBudgetBurn1h', true),
        expectAlert('190m', 'ErrorBudgetBurn1h', false), // clean for 10 minutes: the 5m window resets it
      ],
    });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('pages an 8× burn on the 6h and 30m windows after about 4.5 hours, never on the 1h one, and raises the ticket', async () => {
    const result = await promtoolTest({
      ...EIGHT_X_BURN,
      expect: [
        expectAlert('600m', 'ErrorBudgetBurn6h', false), // 4h in: 1,920 / 361,920 = 0.53 %
        expectAlert('660m', 'ErrorBudgetBurn6h', true), // 5h in: 2,400 / 362,400 = 0.66 %
        expectAlert('660m', 'ErrorBudgetBurn1h', false),
        expectAlert('660m', 'ErrorBudgetBurn3d', true), // 3d ratio 0.36 %, 6h ratio 0.66 %: both over 0.1 %
      ],
    });
    expect(result.code, result.output).toBe(0);
  });

  it('never pages a 1× burn over three days, and looks only at the selected job', async () => {
    // Exactly 0.1 % errors: the budget lasts the window. Another job failing hard must not count.
    const result = await promtoolTest({
      interval: '5m',
      ok: [[936, 4995]],
      errors: [[936, 5]],
      extraSeries: [
        { series: 'http_requests_total{job="other",code="500"}', values: counterValues([[936, 2500]]) },
      ],
      expect: ['1h', '6h', '1d', '2d', '78h'].flatMap((at) => [
        expectAlert(at, 'ErrorBudgetBurn1h', false),
        expectAlert(at, 'ErrorBudgetBurn6h', false),
      ]),
    });
    expect(result.code, result.output).toBe(0);
  });

  it('raises the warning, not a page, for a 1.5× burn after three clean days once the 3d ratio passes 0.1 % (about 48h)', async () => {
    // 3d ratio after k minutes: 1.5k / (4,320,000 + 1.5k), over 0.001 at k ≈ 2,882 (48h); the 6h ratio
    // is 0.15 % after 4h. Samples every 5 minutes: 5,000 good requests and 7.5 errors a step.
    const result = await promtoolTest({
      interval: '5m',
      ok: [[1488, 5000]],
      errors: [
        [864, 0],
        [624, 7.5],
      ],
      expect: [
        expectAlert('116h', 'ErrorBudgetBurn3d', false), // 44h in: 3,960 / 4,323,960 = 0.092 %
        expectAlert('124h', 'ErrorBudgetBurn3d', true), // 52h in: 4,680 / 4,324,680 = 0.108 %
        expectAlert('124h', 'ErrorBudgetBurn1h', false),
        expectAlert('124h', 'ErrorBudgetBurn6h', false),
      ],
    });
    expect(result.code, result.output).toBe(0);
  });

  it('makes promtool fail when an expectation is wrong (these tests can fail)', async () => {
    const result = await promtoolTest({
      ...EIGHT_X_BURN,
      expect: [expectAlert('660m', 'ErrorBudgetBurn1h', true)],
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain('alertname: ErrorBudgetBurn1h');
  });
});
