import { SEVERITIES, type Severity } from '../../config.js';
import { tokenize } from './tokenize.js';

export const MAX_TITLE_LENGTH = 150;

export type IncidentCommand =
  | { name: 'help' }
  | { name: 'list' }
  | {
      name: 'create';
      /** Null opens the declare modal. */
      title: string | null;
      severity: Severity | null;
      service: string | null;
      isPrivate: boolean;
    };

export type ParseResult = { ok: true; command: IncidentCommand } | { ok: false; error: string };

export const USAGE = [
  '*Usage:* `/incident <command>`',
  '• `/incident create` — open the form to declare an incident',
  '• `/incident create Checkout is down` — declare with a title (default severity)',
  '• `/incident create --severity SEV2 --title "API Latency Spike" [--service checkout] [--private]`',
  '• `/incident list` — open incidents',
  '• `/incident help` — this message',
  'Severities: SEV1 (critical) · SEV2 (high) · SEV3 (medium) · SEV4 (low).',
].join('\n');

const CREATE_ALIASES = new Set(['create', 'declare', 'new', 'open']);

/** Never throws: every input is a command or a message that says what to fix. */
export function parseIncidentCommand(text: string): ParseResult {
  const tokenized = tokenize(text.trim());
  if (!tokenized.ok) return { ok: false, error: tokenized.error };
  const [verb, ...rest] = tokenized.tokens;
  const name = verb?.toLowerCase();
  if (name === undefined || name === 'help' || name === '--help' || name === '-h' || name === '?') {
    return { ok: true, command: { name: 'help' } };
  }
  if (name === 'list' || name === 'ls') {
    if (rest.length > 0) return { ok: false, error: '`/incident list` takes no arguments.' };
    return { ok: true, command: { name: 'list' } };
  }
  if (CREATE_ALIASES.has(name)) return parseCreate(rest);
  return { ok: false, error: `Unknown command \`${truncate(verb ?? '', 40)}\`.` };
}

function parseCreate(tokens: string[]): ParseResult {
  let severity: Severity | null = null;
  let flagTitle: string | null = null;
  let service: string | null = null;
  let isPrivate = false;
  const words: string[] = [];

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!token.startsWith('--') || token === '--') {
      words.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const flag = (eq === -1 ? token : token.slice(0, eq)).toLowerCase();
    const inline = eq === -1 ? undefined : token.slice(eq + 1);
    const takeValue = (): string | null => {
      if (inline !== undefined) return inline;
      const next = tokens[i + 1];
      if (next === undefined || next.startsWith('--')) return null;
      i++;
      return next;
    };
    switch (flag) {
      case '--severity':
      case '--sev': {
        const value = takeValue();
        if (value === null) return fail('`--severity` needs a value: SEV1, SEV2, SEV3 or SEV4.');
        const parsed = parseSeverity(value);
        if (!parsed)
          return fail(`\`--severity\` must be SEV1, SEV2, SEV3 or SEV4 (got "${truncate(value, 20)}").`);
        severity = parsed;
        break;
      }
      case '--title': {
        const value = takeValue();
        if (value === null || value.trim() === '')
          return fail('`--title` needs a value, e.g. `--title "API Latency Spike"`.');
        flagTitle = value.trim();
        break;
      }
      case '--service': {
        const value = takeValue();
        if (value === null) return fail('`--service` needs a service name, e.g. `--service checkout`.');
        if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(value)) {
          return fail(
            `\`--service\` must be a service name of letters, digits, \`-\`, \`_\` or \`.\` (got "${truncate(value, 20)}").`,
          );
        }
        service = value.toLowerCase();
        break;
      }
      case '--private':
        if (inline !== undefined) return fail('`--private` takes no value.');
        isPrivate = true;
        break;
      default:
        return fail(
          `Unknown option \`${truncate(flag, 30)}\`. Options are --severity, --title, --service and --private.`,
        );
    }
  }

  const freeTitle = words.join(' ').trim();
  if (flagTitle !== null && freeTitle !== '') {
    return fail('Give the title either as text or with `--title`, not both.');
  }
  const title = flagTitle ?? (freeTitle === '' ? null : freeTitle);
  if (title !== null && [...title].length > MAX_TITLE_LENGTH) {
    return fail(`The title is ${[...title].length} characters long; keep it to ${MAX_TITLE_LENGTH}.`);
  }
  return { ok: true, command: { name: 'create', title, severity, service, isPrivate } };
}

export function parseSeverity(value: string): Severity | null {
  const normalized = value
    .trim()
    .toUpperCase()
    .replace(/^SEV-?/, 'SEV');
  const candidate = /^\d$/.test(normalized) ? `SEV${normalized}` : normalized;
  return (SEVERITIES as readonly string[]).includes(candidate) ? (candidate as Severity) : null;
}

function fail(error: string): ParseResult {
  return { ok: false, error };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
