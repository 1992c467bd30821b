import type { IncidentAlert } from './alert-incident-repo.js';
import type { AlertLink } from './alert-types.js';

/** The alerts an incident was declared from, as its headline card shows them. */
export interface CardAlert {
  /** The first alert's title. */
  title: string;
  service: string;
  /** How many alerts the linked group holds (a storm is one group). */
  alerts: number;
  /** Every alert's web links, once each, runbooks first. */
  links: AlertLink[];
}

/** Links shown on the card at most (the postmortem lists them all). */
const MAX_CARD_LINKS = 6;

/** What the card shows of the incident's alerts; null when it was not declared from one. */
export function cardAlertOf(alerts: readonly IncidentAlert[]): CardAlert | null {
  const first = alerts[0];
  if (!first) return null;
  const seen = new Set<string>();
  const links: AlertLink[] = [];
  for (const alert of alerts)
    for (const link of alert.links) {
      if (seen.has(link.href) || !isWebUrl(link.href)) continue;
      seen.add(link.href);
      links.push(link);
    }
  const runbook = (l: AlertLink) => (/runbook/i.test(l.text) ? 0 : 1);
  // A stable sort: runbooks first, the rest in the alerts' own order.
  links.sort((a, b) => runbook(a) - runbook(b));
  return {
    title: first.title,
    service: first.service,
    alerts: alerts.length,
    links: links.slice(0, MAX_CARD_LINKS),
  };
}

/** An http(s) URL that cannot break out of a Slack `<url|label>` link. */
export function isWebUrl(href: string): boolean {
  try {
    const url = new URL(href);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !/[\s<>|]/.test(href);
  } catch {
    return false;
  }
}
