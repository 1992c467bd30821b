/**
 * The people of the 4-step rules round and their oncall.yaml: each escalation pages a person of its
 * own (a policy per person), whose rules go over several channels with short `after:` values (fast
 * escalation). Every person has a phone number, push topic and address of their own, so no step meets
 * the per-number throttle (3 calls / 5 SMS per 15 minutes): a throttled step in this bench is a fault.
 */

import { CHANNELS } from '../../src/escalation/oncall-file-schema.js';
import type { Channel } from '../../src/escalation/people.js';

export interface BenchRule {
  via: Channel;
  afterMs: number;
}

/** slack 0 s, push 1 s, sms 2 s, email 3 s: one step per kind of provider (voice is Twilio too). */
export const DEFAULT_RULES = 'slack:0,push:1000,sms:2000,email:3000';

/** `slack:0,push:1000,…` (after in ms) → rules; `none` → no rules round. Bad input says what it expects. */
export function parseRules(text: string): BenchRule[] | null {
  if (text.trim() === 'none') return null;
  const expected = `--rules must be "none" or a comma-separated list of via:afterMs with via one of ${CHANNELS.join(', ')} and afterMs 0…59999 (e.g. ${DEFAULT_RULES})`;
  const rules = text.split(',').map((part) => {
    const match = /^\s*([a-z]+):(\d+)(?:ms)?\s*$/.exec(part);
    const via = match?.[1] as Channel | undefined;
    const afterMs = Number(match?.[2]);
    if (!via || !CHANNELS.includes(via) || !Number.isInteger(afterMs) || afterMs > 59_999) {
      throw new Error(`${expected}; got "${part.trim()}"`);
    }
    return { via, afterMs };
  });
  const twice = rules.find((rule, i) => rules.findIndex((r) => r.via === rule.via) !== i);
  // The fakes tell a page's steps apart by channel: the same channel twice would look like a duplicate.
  if (twice) throw new Error(`--rules may name each channel once; ${twice.via} appears twice`);
  return rules;
}

/** The i-th bench person (1-based): their Slack id and contacts, all distinct. */
export function benchPerson(index: number) {
  const n = String(index).padStart(5, '0');
  return {
    userId: `U0RULE${n}`,
    phone: `+1555${String(index).padStart(7, '0')}`,
    pushTopic: `bench-rule-${n}`,
    email: `rule-${n}@bench.test`,
    policy: `rules-${n}`,
  };
}

/**
 * oncall.yaml for `people` persons: person i has the rules and a one-level policy that pages only
 * them and waits `holdMs` before giving up (longer than the last step, so the escalation is still
 * open, and every step still due, when that step's time comes).
 */
export function rulesOncallYaml(people: number, rules: BenchRule[], holdMs: number): string {
  const lines = ['timezone: UTC', 'people:'];
  const notify = rules.map((r) => `{ via: ${r.via}, after: ${r.afterMs}ms }`).join(', ');
  for (let i = 1; i <= people; i++) {
    const p = benchPerson(i);
    lines.push(
      `  ${p.userId}: { phone: "${p.phone}", push_topic: ${p.pushTopic}, email: "${p.email}", notify: [${notify}] }`,
    );
  }
  lines.push('escalation_policies:');
  for (let i = 1; i <= people; i++) {
    const p = benchPerson(i);
    lines.push(
      `  ${p.policy}:`,
      `    levels: [{ notify: ["user:${p.userId}"], escalate_after: ${holdMs}ms }]`,
      '    repeat: 0',
    );
  }
  lines.push(
    'paging:',
    `  default_policy: ${benchPerson(1).policy}`,
    '  auto_page: []',
    '  allow_fast_escalation: true',
    '',
  );
  return lines.join('\n');
}
