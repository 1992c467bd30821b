import { Document } from 'yaml';
import type { Service, ServiceSli, ServiceSlo } from './oncall-config.js';

/**
 * Prometheus alerting rules for SLO error-budget burn (`npm run slo:rules`), after the Google SRE
 * workbook, "Alerting on SLOs", approach 6: multiwindow, multi-burn-rate alerts.
 *
 * Derivation. An SLO of `target`% allows an error ratio of 1 − target/100 (the budget). The burn rate is
 * the observed error ratio divided by that budget: at 1× the budget lasts exactly the SLO window, at
 * 14.4× a 30-day budget is gone in about two days. An alert fires when the error ratio over a long
 * window exceeds burn × budget, so each tier asks "has at least this share of a 30-day budget been spent
 * within the long window?":
 *   14.4× over 1h  → 14.4 × 1h / 720h = 2 %  of the budget in an hour      → page (severity critical)
 *    6×   over 6h  →  6   × 6h / 720h = 5 %  of the budget in six hours    → page (severity critical)
 *    1×   over 3d  →  1   × 3d / 30d  = 10 % of the budget in three days   → ticket (severity warning)
 * Each tier also requires the same ratio over a short window (1/12 of the long one: 5m, 30m, 6h), so an
 * alert stops soon after the errors stop rather than when the long window forgets them. The error ratio
 * over a window w is sum(rate(errors[w])) / sum(rate(total[w])). Burn rates are the workbook's for a
 * 30-day SLO and stay fixed for other windows; there, only the share of the budget per tier differs.
 * Detection time at an error ratio e (from a clean window) is about long window × threshold / e: a total
 * outage on a 99.9 % SLO pages within 1h × 0.0144 ≈ 52 s.
 */

export interface BurnRateTier {
  alert: string;
  burnRate: number;
  longWindow: string;
  shortWindow: string;
  severity: 'critical' | 'warning';
}

export const BURN_RATE_TIERS: readonly BurnRateTier[] = [
  { alert: 'ErrorBudgetBurn1h', burnRate: 14.4, longWindow: '1h', shortWindow: '5m', severity: 'critical' },
  { alert: 'ErrorBudgetBurn6h', burnRate: 6, longWindow: '6h', shortWindow: '30m', severity: 'critical' },
  { alert: 'ErrorBudgetBurn3d', burnRate: 1, longWindow: '3d', shortWindow: '6h', severity: 'warning' },
];

export interface AlertingRule {
  alert: string;
  expr: string;
  labels: { service: string; severity: BurnRateTier['severity'] };
  annotations: { summary: string; runbook_url?: string };
}

export interface RuleGroup {
  name: string;
  rules: AlertingRule[];
}

/** Decimal text without binary noise: 14.4 × 0.001 is 0.0144, not 0.014400000000000001. */
function decimal(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** The error ratio at which a tier fires: burn rate × (1 − target/100). */
export function burnThreshold(burnRate: number, slo: Pick<ServiceSlo, 'target'>): string {
  return decimal((burnRate * (100 - slo.target)) / 100);
}

export function errorRatio(sli: ServiceSli, window: string): string {
  return `sum(rate(${sli.errors}[${window}])) / sum(rate(${sli.total}[${window}]))`;
}

function rule(service: MeasuredService, tier: BurnRateTier): AlertingRule {
  const threshold = burnThreshold(tier.burnRate, service.slo);
  const percent = decimal(Number(threshold) * 100);
  return {
    alert: tier.alert,
    expr: [
      `(${errorRatio(service.sli, tier.longWindow)}) > ${threshold}`,
      'and',
      `(${errorRatio(service.sli, tier.shortWindow)}) > ${threshold}`,
    ].join('\n'),
    labels: { service: service.name, severity: tier.severity },
    annotations: {
      summary: `${service.name} error budget burning faster than ${tier.burnRate}×: errors above ${percent}% over the last ${tier.longWindow} and ${tier.shortWindow} (SLO ${decimal(service.slo.target)}%)`,
      ...(service.runbook ? { runbook_url: service.runbook } : {}),
    },
  };
}

type MeasuredService = Service & { slo: ServiceSlo; sli: ServiceSli };

/** The services that get burn-rate alerts: those with both an `slo` and an `sli`, in the file's order. */
export function servicesWithRules(services: readonly Service[]): MeasuredService[] {
  return services.filter((service): service is MeasuredService => !!service.slo && !!service.sli);
}

/** One group of the three tiers per service with an `slo` and an `sli`. */
export function buildSloRuleGroups(services: readonly Service[]): RuleGroup[] {
  return servicesWithRules(services).map((service) => ({
    name: `slo-burn-rate-${service.name}`,
    rules: BURN_RATE_TIERS.map((tier) => rule(service, tier)),
  }));
}

/** Why a service gets no rules, for the command to say so: it has one of `slo` and `sli` but not both. */
export function servicesWithoutRules(services: readonly Service[]): string[] {
  return services.flatMap((service) => {
    if (service.slo && !service.sli) return [`${service.name} has an slo but no sli: no burn-rate alerts`];
    if (service.sli && !service.slo) return [`${service.name} has an sli but no slo: no burn-rate alerts`];
    return [];
  });
}

/** The rule file's text: a Prometheus `rule_files` entry, headed by where it came from and why. */
export function renderSloRules(services: readonly Service[], source: string): string {
  const doc = new Document({ groups: buildSloRuleGroups(services) });
  doc.commentBefore = [
    ` Generated by \`npm run slo:rules\` from ${source}; edit that file and generate again.`,
    ' Multiwindow, multi-burn-rate SLO alerts (Google SRE workbook, "Alerting on SLOs"):',
    ...BURN_RATE_TIERS.map(
      (tier) =>
        `   ${tier.alert}: error ratio over ${tier.longWindow} and ${tier.shortWindow} above ${tier.burnRate} × (1 − SLO) → severity ${tier.severity}`,
    ),
    ' The 3d window needs at least 3 days of Prometheus retention.',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}
