import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildOncallJsonSchema } from '../../../src/escalation/oncall-json-schema.js';

const committed = () =>
  JSON.parse(readFileSync(new URL('../../../oncall.schema.json', import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

/** The value at a dotted path inside the emitted schema. */
function at(path: string): unknown {
  let value: unknown = buildOncallJsonSchema();
  for (const key of path.split('.')) value = (value as Record<string, unknown>)[key];
  return value;
}

const matches = (patternPath: string, text: string) => new RegExp(at(patternPath) as string).test(text);

describe('oncall.schema.json', () => {
  it('is what the validating schema emits (regenerate: npx tsx src/escalation/write-json-schema.ts)', () => {
    expect(committed()).toEqual(buildOncallJsonSchema());
  });

  it('describes the file format for editors: sections, snake_case fields, patterns and defaults', () => {
    expect(at('$schema')).toBe('http://json-schema.org/draft-07/schema#');
    expect(at('required')).toEqual(['escalation_policies', 'paging']);
    const schedule = 'properties.schedules.additionalProperties';
    expect(Object.keys(at(`${schedule}.properties`) as object)).toEqual([
      'timezone',
      'rotation',
      'participants',
      'restrictions',
      'layers',
      'overrides',
      'channel',
      'announce_channel',
      'slack_usergroup',
      'usergroup_members_always',
      'notify_before',
    ]);
    expect(at(`${schedule}.additionalProperties`)).toBe(false);
    expect(matches(`${schedule}.properties.rotation.properties.handoff.pattern`, '09:00')).toBe(true);
    expect(matches(`${schedule}.properties.rotation.properties.handoff.pattern`, '9am')).toBe(false);
    const level = 'properties.escalation_policies.additionalProperties.properties.levels.items';
    expect(at(`${level}.required`)).toEqual(['notify', 'escalate_after']);
    expect(matches(`${level}.properties.escalate_after.pattern`, '1 day')).toBe(true);
    expect(matches(`${level}.properties.notify.items.pattern`, 'schedule:primary')).toBe(true);
    expect(matches(`${level}.properties.notify.items.pattern`, 'primary')).toBe(false);
    expect(at('properties.paging.properties.auto_page.default')).toEqual(['SEV1', 'SEV2']);
  });
});
