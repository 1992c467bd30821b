import { describe, expect, it } from 'vitest';
import { defineCommand, parseWithSpec, syntaxOf } from '../../../../src/slack/commands/command-spec.js';
import {
  clip,
  listWords,
  oneOf,
  optional,
  Refusal,
  refuse,
  switchFlag,
  text,
  valueFlag,
  word,
  words,
} from '../../../../src/slack/commands/grammar.js';

/**
 * The grammar pieces on their own, called inside the tests: command-specs.ts calls them once when it
 * loads, so a wrong piece is otherwise seen only through every declaration at once.
 */
const upper = (input: string) => input.toUpperCase();

describe('grammar pieces', () => {
  it('word: one word, required, read by its function', () => {
    const arg = word('<name>', 'a name', upper);
    expect(arg).toEqual({ label: '<name>', noun: 'a name', kind: 'word', read: upper });
    expect(arg.fallback).toBeUndefined();
  });

  it('words: the remaining words, kept as given unless a reader is passed', () => {
    const plain = words('title', 'a title');
    expect(plain).toMatchObject({ label: 'title', noun: 'a title', kind: 'words' });
    expect(plain.read('Checkout  down')).toBe('Checkout  down');
    expect(words('title', 'a title', upper).read('down')).toBe('DOWN');
  });

  it('text: the raw rest of the line; its noun is the message for an empty one', () => {
    expect(text('<text>', 'Write the note.', upper)).toEqual({
      label: '<text>',
      noun: 'Write the note.',
      kind: 'text',
      read: upper,
    });
  });

  it('optional: the same argument with the value it takes when left out, even null', () => {
    const arg = optional(word('<name>', 'a name', upper), null);
    expect(arg).toMatchObject({ label: '<name>', noun: 'a name', kind: 'word', fallback: { value: null } });
    expect(arg.read('x')).toBe('X');
  });

  it('oneOf: a listed word in any case, its label the list unless given one', () => {
    const colour = oneOf(['red', 'Green'], 'colour');
    expect(colour).toMatchObject({ label: 'red|Green', noun: 'a colour', kind: 'word' });
    expect(colour.read('RED')).toBe('red');
    expect(colour.read('green')).toBe('Green');
    expect(oneOf(['red'], 'colour', '<colour>').label).toBe('<colour>');
  });

  it('oneOf: refuses any other word with the list, clipping a long one', () => {
    const colour = oneOf(['red', 'green', 'blue'], 'colour');
    expect(colour.read('reddish')).toEqual(refuse('`reddish` is not a colour: use red, green or blue.'));
    expect(colour.read('x'.repeat(31))).toEqual(
      refuse(`\`${'x'.repeat(30)}…\` is not a colour: use red, green or blue.`),
    );
  });

  it('valueFlag: no value unless given, and says what is missing', () => {
    expect(valueFlag(['schedule', 's'], '<schedule>', 'Name a schedule.', upper)).toEqual({
      names: ['schedule', 's'],
      label: '<schedule>',
      missing: 'Name a schedule.',
      fallback: null,
      read: upper,
    });
  });

  it('switchFlag: false unless given; given, true; a value is refused by name', () => {
    const flag = switchFlag('quiet');
    expect(flag).toMatchObject({ names: ['quiet'], label: null, fallback: false });
    expect(flag.missing).toBeUndefined();
    expect(flag.read('')).toBe(true);
    expect(flag.read('yes')).toEqual(refuse('`--quiet` takes no value.'));
  });

  it('refuse: a refusal carrying its message', () => {
    const refusal = refuse('No.');
    expect(refusal).toBeInstanceOf(Refusal);
    expect(refusal.message).toBe('No.');
  });

  it('clip: long input cut with an ellipsis, input at the limit left alone', () => {
    expect(clip('abcd', 4)).toBe('abcd');
    expect(clip('abcde', 4)).toBe('abcd…');
  });

  it('listWords: one word alone, else commas and the conjunction before the last', () => {
    expect(listWords(['a'])).toBe('a');
    expect(listWords(['a', 'b'])).toBe('a or b');
    expect(listWords(['a', 'b', 'c'])).toBe('a, b or c');
    expect(listWords(['a', 'b', 'c'], 'and')).toBe('a, b and c');
  });
});

describe('a command declared with the pieces', () => {
  const paint = defineCommand({
    name: 'paint',
    summary: 'test',
    access: 'anyone',
    scope: 'global',
    args: {
      colour: oneOf(['red', 'green'], 'colour'),
      coats: optional(word('coats', 'a number of coats', Number), 1),
      note: optional(words('note', 'a note'), null),
    },
    flags: { brush: valueFlag(['brush'], '<brush>', 'Name a brush.', upper), dry: switchFlag('dry') },
  });

  it('shows each piece in its usage line', () => {
    expect(syntaxOf(paint)).toBe('/incident paint red|green [coats] [note] [--brush <brush>] [--dry]');
  });

  it('reads required, optional and trailing words, and flags', () => {
    expect(parseWithSpec(paint, 'GREEN 2 before lunch --brush wide --dry')).toEqual({
      ok: true,
      command: { name: 'paint', colour: 'green', coats: 2, note: 'before lunch', brush: 'WIDE', dry: true },
    });
    expect(parseWithSpec(paint, 'red')).toEqual({
      ok: true,
      command: { name: 'paint', colour: 'red', coats: 1, note: null, brush: null, dry: false },
    });
  });

  it('refuses a missing required word, a wrong one, and a flag without its value', () => {
    const needs =
      '`/incident paint` needs a colour: `/incident paint red|green [coats] [note] [--brush <brush>] [--dry]`.';
    expect(parseWithSpec(paint, '')).toEqual({ ok: false, error: needs });
    expect(parseWithSpec(paint, 'blue')).toEqual({
      ok: false,
      error: '`blue` is not a colour: use red or green.',
    });
    expect(parseWithSpec(paint, 'red --brush')).toEqual({ ok: false, error: 'Name a brush.' });
    expect(parseWithSpec(paint, 'red --dry=no')).toEqual({ ok: false, error: '`--dry` takes no value.' });
  });
});
