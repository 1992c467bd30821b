/**
 * Splits slash-command text into words, keeping quoted phrases together. Slack clients turn
 * straight quotes into curly ones and `--` into an em dash as people type, and keyboards differ
 * (“…”, „…“, «…», »…«, ‘…’), so each opening quote accepts the closing quotes people pair with it.
 */
export type TokenizeResult = { ok: true; tokens: string[] } | { ok: false; error: string };

/** Opening quote → the quotes that close it; the first is the one named in an error. */
const CLOSERS: Record<string, readonly string[]> = {
  '"': ['"', '”', '“'],
  '“': ['”', '"', '“'],
  '”': ['”', '"'],
  '„': ['“', '”', '"'],
  "'": ["'", '’'],
  '‘': ['’', '‘', "'"],
  '’': ['’'],
  '‚': ['‘', '’'],
  '«': ['»'],
  '»': ['«', '»'],
};

export function tokenize(text: string): TokenizeResult {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let closers: readonly string[] | null = null;
  // `\s` covers the no-break spaces some clients type.
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (closers !== null) {
      // A quote closes the phrase only at its end, so "it’s" inside ‘…’ stays one word.
      const next = chars[i + 1];
      if (closers.includes(ch) && (next === undefined || /\s/.test(next))) closers = null;
      else current += ch;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
      continue;
    }
    const close = CLOSERS[ch];
    // A quote opens a phrase only at the start of a word or after `=`, so "don't" stays one word.
    if (close !== undefined && (!inToken || current.endsWith('='))) {
      closers = close;
      inToken = true;
      continue;
    }
    current += ch;
    inToken = true;
  }
  if (closers !== null) return { ok: false, error: `A quote is not closed: add the closing ${closers[0]}.` };
  if (inToken) tokens.push(current);
  return { ok: true, tokens: tokens.map(normalizeDashes) };
}

function normalizeDashes(token: string): string {
  return token.replace(/^[—–]/, '--');
}
