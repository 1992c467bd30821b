import { describe, expect, it } from 'vitest';
import { parseIncidentCommand } from '../../../src/slack/commands/parse-command.js';

const parse = (text: string) => parseIncidentCommand(text);
const command = (text: string) => {
  const result = parse(text);
  if (!result.ok) throw new Error(result.error);
  return result.command;
};
const error = (text: string) => {
  const result = parse(text);
  if (result.ok) throw new Error(`parsed: ${JSON.stringify(result.command)}`);
  return result.error;
};

describe('/incident maintenance', () => {
  it('lists the windows without arguments', () => {
    expect(command('maintenance')).toEqual({ name: 'maintenance', action: 'list' });
  });

  it('starts a window with a duration in any notation, and keeps the reason as the plain text typed', () => {
    expect(command('maintenance checkout 2h')).toEqual({
      name: 'maintenance',
      action: 'start',
      service: 'checkout',
      durationText: '2h',
      durationMs: 7_200_000,
      reason: null,
    });
    expect(command('maintenance Checkout 1 day DB upgrade &lt;v2&gt;')).toMatchObject({
      service: 'checkout',
      durationText: '1 day',
      durationMs: 86_400_000,
      reason: 'DB upgrade <v2>',
    });
    expect(command('maintenance checkout 1h 30m')).toMatchObject({ durationMs: 5_400_000, reason: null });
    expect(command('maintenance checkout 7d')).toMatchObject({ durationMs: 7 * 86_400_000 });
  });

  it('ends a window with off', () => {
    expect(command('maintenance checkout off')).toEqual({
      name: 'maintenance',
      action: 'end',
      service: 'checkout',
    });
    expect(command('maintenance checkout OFF')).toMatchObject({ action: 'end' });
  });

  it('says what to fix', () => {
    expect(error('maintenance checkout 2x')).toBe(
      '"2x" is not a duration: use e.g. `30m`, `2h`, `1 day` — `/incident maintenance checkout 2h [reason]` (up to 7 days), or `/incident maintenance checkout off`.',
    );
    expect(error('maintenance checkout')).toBe(
      'Say how long, or `off`: `/incident maintenance checkout 2h [reason]` (up to 7 days), or `/incident maintenance checkout off`.',
    );
    expect(error('maintenance checkout 8d')).toBe(
      'A maintenance window lasts from 1 minute to 7 days (got "8d").',
    );
    expect(error('maintenance checkout 0m')).toBe(
      'A maintenance window lasts from 1 minute to 7 days (got "0m").',
    );
    expect(error('maintenance checkout off now')).toBe(
      '`off` takes nothing after it: `/incident maintenance checkout off`.',
    );
    expect(error('maintenance <@U123> 2h')).toBe(
      '"<@U123>" is not a service name: letters, digits, `-`, `_` or `.`, as in oncall.yaml.',
    );
    expect(error(`maintenance checkout 2h ${'x'.repeat(301)}`)).toBe('Keep the reason to 300 characters.');
  });
});
