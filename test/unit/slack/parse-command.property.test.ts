import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIncidentCommand } from '../../../src/slack/commands/parse-command.js';

const VERBS = [
  'create',
  'list',
  'help',
  'page',
  'escalate',
  'oncall',
  'status',
  'severity',
  'role',
  'update',
  'note',
  'followup',
  'timeline',
  'show',
  'reopen',
];
const PIECES = [
  '--severity',
  '--title',
  '--service',
  '--private',
  '--schedule',
  'SEV1',
  'sev9',
  '#12',
  'inc-7',
  'due',
  '2026-02-30',
  '<@U012ABCDEF|bob>',
  '<#C123|x>',
  '"',
  '“',
  '”',
  "'",
  '—',
  '=',
  '&amp;',
  'override',
  '2h',
  ' ',
];

describe('the /incident parser (property-based)', () => {
  it('never throws, and answers every input with a command or a message saying what to fix', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.string({ maxLength: 200 }),
      fc
        .tuple(
          fc.constantFrom(...VERBS),
          fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 12 })), { maxLength: 8 }),
        )
        .map(([verb, rest]) => [verb, ...rest].join(' ')),
    );
    fc.assert(
      fc.property(text, (input) => {
        const result = parseIncidentCommand(input);
        if (result.ok) {
          expect(typeof result.command.name).toBe('string');
        } else {
          expect(result.error.length).toBeGreaterThan(0);
          expect(result.error).not.toMatch(/TypeError|undefined|at .*\.ts/);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('reads back a generated create command exactly', () => {
    const title = fc
      .string({ minLength: 1, maxLength: 60 })
      .map((s) => s.replace(/["“”'‘’«»„\s\\]+/g, ' ').trim())
      .filter(
        (s) =>
          s.length > 0 && !s.startsWith('-') && !s.startsWith('—') && !s.startsWith('–') && !/[<>&]/.test(s),
      );
    fc.assert(
      fc.property(
        title,
        fc.constantFrom('SEV1', 'SEV2', 'SEV3', 'SEV4'),
        fc.boolean(),
        (t, severity, isPrivate) => {
          const result = parseIncidentCommand(
            `create --severity ${severity} --title "${t}"${isPrivate ? ' --private' : ''}`,
          );
          expect(result).toEqual({
            ok: true,
            command: { name: 'create', title: t, severity, service: null, isPrivate },
          });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
