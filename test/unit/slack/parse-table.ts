import { describe, expect, it } from 'vitest';
import { type IncidentCommand, parseIncidentCommand } from '../../../src/slack/commands/parse-command.js';

/** Shared by the parser tests: run a table of valid forms and of invalid forms with their exact messages. */
export const BOB = '<@U012ABCDEF|bob>';
export const CAROL = '<@U0CAROL001>';

export function command(text: string): IncidentCommand {
  const result = parseIncidentCommand(text);
  if (!result.ok) throw new Error(`expected a command for ${JSON.stringify(text)}, got: ${result.error}`);
  return result.command;
}
export function error(text: string): string {
  const result = parseIncidentCommand(text);
  if (result.ok)
    throw new Error(`expected an error for ${JSON.stringify(text)}, got ${JSON.stringify(result)}`);
  return result.error;
}

type Valid = [string, IncidentCommand];
type Invalid = [string, string];

export function table(name: string, valid: Valid[], invalid: Invalid[]): void {
  describe(`/incident ${name}`, () => {
    it.each(valid)('reads %j', (text, expected) => expect(command(text)).toEqual(expected));
    if (invalid.length > 0)
      it.each(invalid)('refuses %j with what to fix', (text, message) => expect(error(text)).toBe(message));
  });
}

export const create = (over: Partial<Extract<IncidentCommand, { name: 'create' }>>): IncidentCommand => ({
  name: 'create',
  title: null,
  severity: null,
  service: null,
  isPrivate: false,
  ...over,
});

export const override = (over: object) => ({
  name: 'oncall-override',
  userId: 'U012ABCDEF',
  durationText: '2h',
  durationMs: 7_200_000,
  schedule: null,
  ...over,
});

export const followup = (over: object) =>
  ({
    name: 'followup',
    text: 'Add an alert',
    ownerId: null,
    dueDate: null,
    reference: null,
    ...over,
  }) as IncidentCommand;
