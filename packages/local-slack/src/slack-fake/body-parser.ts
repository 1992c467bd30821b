import type { Args } from './types.js';

/**
 * Arguments that WebClient JSON-stringifies inside a form body. Only these are decoded, so a message
 * text that happens to look like JSON (`"[1,2]"`) stays text.
 */
const JSON_ARGUMENTS = new Set(['blocks', 'attachments', 'view', 'files', 'users', 'metadata', 'channels']);

export class BodyParseError extends Error {
  constructor(readonly code: 'invalid_json' | 'invalid_form_data') {
    super(code);
    this.name = 'BodyParseError';
  }
}

/** Parses a Web API request body the three ways Slack accepts: form, JSON and multipart. */
export async function parseApiArgs(contentType: string | undefined, raw: Buffer): Promise<Args> {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  let args: Args = {};
  if (raw.length === 0) {
    args = {};
  } else if (type === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      args = parsed as Args;
    } catch {
      throw new BodyParseError('invalid_json');
    }
  } else if (type === 'multipart/form-data') {
    args = await parseMultipart(contentType ?? '', raw);
  } else {
    args = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  }
  return decodeNestedJson(args);
}

/** Multipart parsing via the WHATWG Response, which Node ships (no dependency needed). */
export async function parseMultipart(contentType: string, raw: Buffer): Promise<Args> {
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new BodyParseError('invalid_form_data');
  }
  const args: Args = {};
  for (const [key, value] of form) {
    args[key] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer());
  }
  return args;
}

export function decodeNestedJson(args: Args): Args {
  const decoded: Args = { ...args };
  for (const key of JSON_ARGUMENTS) {
    const value = decoded[key];
    if (typeof value !== 'string') continue;
    const trimmed = value.trim();
    if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) continue;
    try {
      decoded[key] = JSON.parse(trimmed);
    } catch {
      // Left as a string: the method reports its own error (e.g. invalid_blocks_format).
    }
  }
  return decoded;
}
