// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` in plain strings is what this file tests
import { describe, expect, it } from 'vitest';
import { OncallConfigError, parseOncallConfig } from '../../../src/escalation/oncall-config.js';
import { substituteEnv } from '../../../src/escalation/oncall-env.js';
import { oncallFixture } from '../../helpers/oncall-fixture.js';

describe('${VAR} in an on-call file', () => {
  const env = { KEY: 'k-123', EMPTY: '', CHANNEL: 'C0123ABCD' };

  it('replaces every reference in every string, at any depth, and leaves keys and other values alone', () => {
    const { value, problems } = substituteEnv(
      { a: '${KEY}', list: ['x-${KEY}-${CHANNEL}', 3, true, null], nested: { '${KEY}': 'plain' } },
      env,
    );
    expect(problems).toEqual([]);
    expect(value).toEqual({
      a: 'k-123',
      list: ['x-k-123-C0123ABCD', 3, true, null],
      nested: { '${KEY}': 'plain' },
    });
  });

  it('keeps $${…} as a literal ${…}', () => {
    expect(substituteEnv({ a: 'cost $${KEY} and ${KEY}' }, env)).toEqual({
      value: { a: 'cost ${KEY} and k-123' },
      problems: [],
    });
  });

  it('names the path of an unset or empty variable and of a reference that is not a name', () => {
    const { problems } = substituteEnv(
      { s: { x: ['ok', '${MISSING}'] }, e: '${EMPTY}', bad: '${1X}', dash: '${A-B}' },
      env,
    );
    expect(problems).toEqual([
      { path: ['s', 'x', 1], message: '${MISSING} is not set in the environment' },
      { path: ['e'], message: '${EMPTY} is not set in the environment' },
      { path: ['bad'], message: '"${1X}" is not a variable name: use ${NAME} (letters, digits, _)' },
      { path: ['dash'], message: '"${A-B}" is not a variable name: use ${NAME} (letters, digits, _)' },
    ]);
  });

  const file = (admin: string) =>
    oncallFixture({ levels: [['schedule:primary', '5m']], admins: [admin] }).replaceAll('{bob}', 'U0BOB');

  it('is applied when the bot reads the file, and an unset variable is a config error with its path', () => {
    const config = parseOncallConfig(file('${ADMIN_ID}'), 'oncall.yaml', { ADMIN_ID: 'U0CAROL' });
    expect(config.admins).toEqual(['U0CAROL']);
    expect(() => parseOncallConfig(file('${ADMIN_ID}'), 'oncall.yaml', {})).toThrow(OncallConfigError);
    expect(() => parseOncallConfig(file('${ADMIN_ID}'), 'oncall.yaml', {})).toThrow(
      'admins[0]: ${ADMIN_ID} is not set in the environment',
    );
  });
});
