/**
 * Splits slash-command text into words, keeping quoted phrases together. Slack clients turn
 * straight quotes into curly ones and `--` into an em dash as people type, so both are accepted.
 */
export type TokenizeResult = { ok: true; tokens: string[] } | { ok: false; error: string };

const QUOTE_PAIRS: Record<string, string> = {
  '"': '"',
  "'": "'",
  '“': '”',
  '”': '”',
  '‘': '’',
  '’': '’',
  '«': '»',
  '„': '“',
};

export function tokenize(text: string): TokenizeResult {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let closing: string | null = null;
  const chars = [...text.replace(/\u00a0/g, ' ')];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (closing !== null) {
      if (ch === closing || (closing === '”' && ch === '"') || (closing === '"' && ch === '”'))
        closing = null;
      else current += ch;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
      continue;
    }
    const close = QUOTE_PAIRS[ch];
    // A quote opens a phrase only at the start of a word or after `=`, so "don't" stays one word.
    if (close !== undefined && (!inToken || current.endsWith('='))) {
      closing = close;
      inToken = true;
      continue;
    }
    current += ch;
    inToken = true;
  }
  if (closing !== null) return { ok: false, error: `A quote is not closed: add the closing ${closing}.` };
  if (inToken) tokens.push(current);
  return { ok: true, tokens: tokens.map(normalizeDashes) };
}

function normalizeDashes(token: string): string {
  return token.replace(/^[—–]/, '--');
}
