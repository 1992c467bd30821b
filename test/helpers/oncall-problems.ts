import { OncallConfigError, parseOncallConfig } from '../../src/escalation/oncall-config.js';

/** The problems an on-call file is refused with (fails the test when the file is accepted). */
export function problemsOf(text: string): string[] {
  try {
    parseOncallConfig(text);
  } catch (error) {
    if (error instanceof OncallConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be refused');
}
