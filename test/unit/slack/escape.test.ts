import { describe, expect, it } from 'vitest';
import {
  chunkLines,
  cutTo,
  mrkdwn,
  mrkdwnFit,
  plain,
  plainFit,
  slackToPlain,
} from '../../../src/slack/views/escape.js';

describe('mrkdwn: user text in mrkdwn and fallback text', () => {
  it('escapes exactly Slack’s three control characters, every time they occur', () => {
    expect(mrkdwn('<!channel> & <https://evil.example|sso> > <@U1>')).toBe(
      '&lt;!channel&gt; &amp; &lt;https://evil.example|sso&gt; &gt; &lt;@U1&gt;',
    );
    expect(mrkdwn('&&<<>>')).toBe('&amp;&amp;&lt;&lt;&gt;&gt;');
    expect(mrkdwn('&amp;')).toBe('&amp;amp;');
  });

  it('leaves everything else alone: formatting, emoji, RTL, quotes', () => {
    const text = '*bold* _it_ `x` 🔥 \u202eabc مرحبا "q" \'s\'\n';
    expect(mrkdwn(text)).toBe(text);
  });
});

describe('plain: user text in plain_text fields', () => {
  it('keeps the text as typed but drops control characters other than line breaks and tabs', () => {
    expect(plain('Checkout & <!here> 🔥')).toBe('Checkout & <!here> 🔥');
    expect(plain('a\u0000b\u0008c\u000bd\u001fe\u007ff\ng\th')).toBe('abcdef\ng\th');
  });
});

describe('cutTo: cutting after escaping', () => {
  it('leaves text that fits, even at exactly the limit', () => {
    expect(cutTo('abc', 3)).toBe('abc');
    expect(cutTo('', 0)).toBe('');
  });

  it('cuts to the limit with an ellipsis', () => {
    expect(cutTo('abcdef', 4)).toBe('abc…');
    expect(cutTo('abcdef', 5)).toHaveLength(5);
  });

  it.each([
    ['ab&amp;cd', 4, 'ab…'],
    ['ab&amp;cd', 5, 'ab…'],
    ['ab&amp;cd', 6, 'ab…'],
    ['ab&amp;cd', 7, 'ab…'],
    ['ab&amp;cd', 8, 'ab&amp;…'],
    ['ab&lt;cd', 5, 'ab…'],
    ['ab&lt;cd', 6, 'ab…'],
    ['ab&lt;cd', 7, 'ab&lt;…'],
    ['ab&gt;cd', 4, 'ab…'],
    ['ab&gt;cd', 6, 'ab…'],
    ['xy&gt;&lt;', 8, 'xy&gt;…'],
  ])('never cuts inside an entity: %s to %i is %s', (text, max, expected) => {
    expect(cutTo(text, max)).toBe(expected);
  });

  it('never cuts a surrogate pair in half', () => {
    expect(cutTo('a🔥b', 3)).toBe('a…');
    expect(cutTo('a🔥bc', 4)).toBe('a🔥…');
    // The first and the last high surrogates.
    expect(cutTo('a\u{10000}b', 3)).toBe('a…');
    expect(cutTo('a\u{10fc00}b', 3)).toBe('a…');
  });

  it('escapes first and cuts after, so the result is within the limit and valid', () => {
    const escaped = mrkdwnFit('&'.repeat(3000), 3000);
    expect(escaped.length).toBeLessThanOrEqual(3000);
    expect(escaped).toMatch(/^(?:&amp;)+…$/);
    expect(mrkdwnFit('<b>', 100)).toBe('&lt;b&gt;');
    expect(plainFit('x'.repeat(200), 150)).toHaveLength(150);
    expect(plainFit('a\u0000b', 150)).toBe('ab');
  });
});

describe('chunkLines: long lists over several sections', () => {
  it('packs lines greedily, each chunk within the limit once joined with newlines', () => {
    expect(chunkLines(['aaa', 'bbb', 'ccc'], 7)).toEqual(['aaa\nbbb', 'ccc']);
    expect(chunkLines(['aaa', 'bbb', 'ccc'], 11)).toEqual(['aaa\nbbb\nccc']);
    expect(chunkLines(['aaa', 'bbb'], 6)).toEqual(['aaa', 'bbb']);
    expect(chunkLines([], 10)).toEqual([]);
  });

  it('cuts a line longer than the limit on its own', () => {
    expect(chunkLines(['x'.repeat(20), 'y'], 10)).toEqual(['xxxxxxxxx…', 'y']);
  });

  it('keeps empty lines as they are', () => {
    expect(chunkLines(['a', '', 'b'], 100)).toEqual(['a\n\nb']);
  });
});

describe('slackToPlain: Slack’s escaped text as the text its author saw', () => {
  it.each([
    ['<@U012ABCDEF|bob> deploy', '@bob deploy'],
    ['<@U012ABCDEF>', '@U012ABCDEF'],
    ['<#C0123ABCD|payments>', '#payments'],
    ['<#C0123ABCD>', '#C0123ABCD'],
    ['<!channel> <!here> <!everyone>', '@channel @here @everyone'],
    ['<!here|here>', '@here'],
    ['<!subteam^S012AB|@sre>', '@sre'],
    ['<!subteam^S012AB>', '@S012AB'],
    ['<!date^1700000000^{date}|Nov 14>', 'Nov 14'],
    ['<https://status.example.com>', 'https://status.example.com'],
    ['<https://status.example.com|Status page>', 'Status page (https://status.example.com)'],
    ['<http://status.example.com|status.example.com>', 'status.example.com'],
    ['<http://status.example.com/|status.example.com>', 'status.example.com'],
    ['<https://evil.example|sso.acme.com>', 'sso.acme.com (https://evil.example)'],
    ['<https://a.example/?x=1&amp;y=2|A &amp; B>', 'A & B (https://a.example/?x=1&y=2)'],
    ['<https://a.example/|https://a.example/>', 'https://a.example/'],
    ['<mailto:bob@acme.test|bob@acme.test>', 'bob@acme.test'],
    ['<mailto:bob@acme.test>', 'bob@acme.test'],
    ['<mailto:bob@acme.test|write to Bob>', 'write to Bob (mailto:bob@acme.test)'],
    ['&lt;!channel&gt; &amp; &lt;v2&gt;', '<!channel> & <v2>'],
    ['&amp;lt;!here&amp;gt;', '&lt;!here&gt;'],
    ['&quot; &nbsp;', '&quot; &nbsp;'],
    ['<!xsubteam^S1>', '@xsubteam^S1'],
    ['<https://a.example/mailto:x>', 'https://a.example/mailto:x'],
    ['<ftp://h/https://x|ftp://h/x>', 'ftp://h/x (ftp://h/https://x)'],
    ['<http://a.example/b/|a.example/b>', 'a.example/b'],
    ['<|label>', 'label ()'],
    ['a < b', 'a < b'],
    ['plain text', 'plain text'],
  ])('reads %s as %s', (slack, expected) => {
    expect(slackToPlain(slack)).toBe(expected);
  });

  it('gives text that mrkdwn shows as typed, with no live markup', () => {
    const shown = mrkdwn(slackToPlain('&lt;!channel&gt; <!here> <https://evil.example|bank>'));
    expect(shown).toBe('&lt;!channel&gt; @here bank (https://evil.example)');
    expect(shown).not.toMatch(/<[!@#h]/);
  });
});
