import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../src/slack/commands/tokenize.js';

/** Every opening quote with every closing quote people pair with it; anything else does not close it. */
const PAIRS: [open: string, closers: string[]][] = [
  ['"', ['"', '”', '“']],
  ['“', ['”', '"', '“']],
  ['”', ['”', '"']],
  ['„', ['“', '”', '"']],
  ["'", ["'", '’']],
  ['‘', ['’', '‘', "'"]],
  ['’', ['’']],
  ['‚', ['‘', '’']],
  ['«', ['»']],
  ['»', ['«', '»']],
];
const QUOTES = ['"', '“', '”', '„', "'", '‘', '’', '‚', '«', '»'];

describe('tokenize', () => {
  it.each(PAIRS)(
    'keeps a phrase opened with %s together, whichever of its closers ends it',
    (open, closers) => {
      for (const close of closers) {
        expect(tokenize(`a ${open}b c${close} d`)).toEqual({ ok: true, tokens: ['a', 'b c', 'd'] });
      }
      for (const other of QUOTES.filter((q) => !closers.includes(q))) {
        expect(tokenize(`${open}b c${other}`)).toEqual({
          ok: false,
          error: `A quote is not closed: add the closing ${closers[0]}.`,
        });
      }
    },
  );

  it('closes a phrase only where it ends, so apostrophes inside stay', () => {
    expect(tokenize('‘Can’t log in’ now')).toEqual({ ok: true, tokens: ['Can’t log in', 'now'] });
  });

  it('opens a phrase only at the start of a word or after =', () => {
    expect(tokenize("don't stop")).toEqual({ ok: true, tokens: ["don't", 'stop'] });
    expect(tokenize('--title="A B"')).toEqual({ ok: true, tokens: ['--title=A B'] });
    expect(tokenize('x«y z»')).toEqual({ ok: true, tokens: ['x«y', 'z»'] });
  });

  it('splits on any whitespace, no-break spaces included, and keeps empty phrases', () => {
    expect(tokenize(' a\u00a0b\tc\n "" ')).toEqual({ ok: true, tokens: ['a', 'b', 'c', ''] });
    expect(tokenize('')).toEqual({ ok: true, tokens: [] });
  });

  it('turns a leading em or en dash into --, and only a leading one', () => {
    expect(tokenize('—title –private a—b')).toEqual({ ok: true, tokens: ['--title', '--private', 'a—b'] });
  });
});
