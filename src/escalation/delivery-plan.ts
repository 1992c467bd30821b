import type { Channel, Person } from './people.js';

/** One non-Slack step of a person's rules, planned when their level pages them. */
export interface PlannedStep {
  /** Index of the rule in the person's `notify:` list (the delivery's `step`). */
  step: number;
  channel: Exclude<Channel, 'slack'>;
  /** Phone number, push topic or email address. */
  target: string;
  /** After the page. */
  afterMs: number;
}

/** The person a page's target names (`people:` key as written, or an email in another case). */
export function findPerson(people: Record<string, Person>, target: string): Person | null {
  const exact = people[target];
  if (exact) return exact;
  if (!target.includes('@')) return null;
  const lower = target.toLowerCase();
  return Object.values(people).find((person) => person.key.toLowerCase() === lower) ?? null;
}

const contact = (person: Person, channel: Exclude<Channel, 'slack'>): string | undefined =>
  channel === 'push' ? person.pushTopic : channel === 'email' ? person.email : person.phone;

/**
 * The steps a page plans as `deliveries` rows. Slack rules plan none: the page DM (page.send) is the
 * Slack step, sent when the level pages, as before people existed. A person without `people:` rules
 * (or with Slack only) plans nothing. A rule without its contact is a config error caught at start.
 */
export function planSteps(people: Record<string, Person>, target: string): PlannedStep[] {
  const person = findPerson(people, target);
  if (!person) return [];
  const steps: PlannedStep[] = [];
  person.notify.forEach((rule, step) => {
    if (rule.via === 'slack') return;
    const to = contact(person, rule.via);
    if (to !== undefined) steps.push({ step, channel: rule.via, target: to, afterMs: rule.afterMs });
  });
  return steps;
}
