import { SEVERITIES, type Severity } from '../../incidents/incident-types.js';
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
    }
  /** Page a person or a schedule's on-call now, on the incident of this channel or `reference`. */
  | { name: 'page'; target: PageTarget; reference: string | null }
  | { name: 'escalate'; reference: string | null }
  | { name: 'oncall' }
  | { name: 'oncall-override'; userId: string; durationText: string; schedule: string | null }
  | { name: 'status'; status: LifecycleStatus; reference: string | null }
  | { name: 'severity'; severity: Severity; reference: string | null }
  | { name: 'role'; role: 'commander' | 'comms' | 'scribe'; userId: string; reference: string | null }
  | { name: 'update' | 'note'; text: string; reference: string | null }
  | {
      name: 'followup';
      text: string;
      ownerId: string | null;
      dueDate: string | null;
      reference: string | null;
    }
  | { name: 'timeline'; page: number; reference: string | null }
  | { name: 'show' | 'reopen' | 'resolve' | 'postmortem'; reference: string | null }
  | { name: 'close'; resolution: string | null; reference: string | null }
  | { name: 'stats'; windowDays: 7 | 30 | 90 };

export type LifecycleStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved';
const LIFECYCLE_STATUSES: LifecycleStatus[] = ['investigating', 'identified', 'monitoring', 'resolved'];

export type PageTarget = { kind: 'user'; userId: string } | { kind: 'schedule'; schedule: string };

export type ParseResult = { ok: true; command: IncidentCommand } | { ok: false; error: string };

export const USAGE = [
  '*Usage:* `/incident <command>`',
  '• `/incident create` — open the form to declare an incident',
  '• `/incident create Checkout is down` — declare with a title (default severity)',
  '• `/incident create --severity SEV2 --title "API Latency Spike" [--service checkout] [--private]`',
  '• `/incident list` — open incidents · `/incident stats [7d|30d|90d]` — counts, response times, DORA tier',
  '• `/incident page @person` or `/incident page <schedule>` — page now (in the incident channel, or add `#12`)',
  '• `/incident escalate` — page the next escalation level now',
  '• `/incident oncall` — who is on call now and next, per schedule',
  '• `/incident oncall override @person 2h [--schedule primary]` — take the pager for a while',
  '*In an incident channel* (elsewhere add the incident, like `#12`):',
  '• `/incident status investigating|identified|monitoring|resolved` · `/incident severity SEV1..SEV4`',
  '• `/incident role commander|comms|scribe @person` · `/incident update <text>` · `/incident note <text>`',
  '• `/incident followup <text> [@owner] [due YYYY-MM-DD]` · `/incident timeline` · `/incident show` · `/incident reopen`',
  '• `/incident resolve` · `/incident close --resolution "Rolled back to v1.2.3"` · `/incident postmortem` (regenerate the draft)',
  '• `/incident help` — this message',
  'Severities: SEV1 (critical) · SEV2 (high) · SEV3 (medium) · SEV4 (low).',
].join('\n');

const CREATE_ALIASES = new Set(['create', 'declare', 'new', 'open']);

/** Never throws: every input is a command or a message that says what to fix. */
export function parseIncidentCommand(text: string): ParseResult {
  try {
    return parseCommandText(text);
  } catch {
    // The parser must answer every input; a bug here becomes a usage message, never a trace.
    return { ok: false, error: 'I could not read that command.' };
  }
}

function parseCommandText(text: string): ParseResult {
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
  if (name === 'page') return parsePage(rest);
  if (name === 'escalate') {
    const [reference, extra] = rest;
    if (extra !== undefined || (reference !== undefined && !isReference(reference))) {
      return fail('Use `/incident escalate` in the incident channel, or `/incident escalate #12` elsewhere.');
    }
    return { ok: true, command: { name: 'escalate', reference: reference ?? null } };
  }
  if (name === 'oncall' || name === 'on-call') return parseOncall(rest);
  if (name === 'status')
    return parseWithReference(rest, 1, ([value]) => {
      const status = LIFECYCLE_STATUSES.find((st) => st === value?.toLowerCase());
      return status
        ? { name: 'status', status }
        : 'Use `/incident status investigating|identified|monitoring|resolved`.';
    });
  if (name === 'severity' || name === 'sev')
    return parseWithReference(rest, 1, ([value]) => {
      const severity = value ? parseSeverity(value) : null;
      return severity ? { name: 'severity', severity } : 'Use `/incident severity SEV1|SEV2|SEV3|SEV4`.';
    });
  if (name === 'role')
    return parseWithReference(rest, 2, ([role, who]) => {
      const r = role?.toLowerCase();
      if (r !== 'commander' && r !== 'comms' && r !== 'scribe')
        return 'Use `/incident role commander|comms|scribe @person`.';
      const userId = who ? parseUserMention(who) : null;
      if (!userId)
        return `I could not read "${truncate(who ?? '', 30)}" as a person: pick them from Slack's @-mention list.`;
      return { name: 'role', role: r, userId };
    });
  if (name === 'timeline')
    return parseWithReference(rest, 1, ([page]) => {
      if (page === undefined) return { name: 'timeline', page: 1 };
      return /^\d{1,4}$/.test(page) && Number(page) > 0
        ? { name: 'timeline', page: Number(page) }
        : 'Use `/incident timeline [page]`.';
    });
  if (name === 'show' || name === 'reopen' || name === 'resolve' || name === 'postmortem') {
    return parseWithReference(rest, 0, () => ({
      name: name as 'show' | 'reopen' | 'resolve' | 'postmortem',
    }));
  }
  if (name === 'close') return parseClose(rest);
  if (name === 'stats') {
    const [window, extra] = rest;
    if (extra !== undefined) return fail('Use `/incident stats [7d|30d|90d]`.');
    const days =
      window === undefined ? 30 : ({ '7d': 7, '30d': 30, '90d': 90 } as const)[window.toLowerCase() as '7d'];
    if (!days) return fail('Use `/incident stats [7d|30d|90d]`.');
    return { ok: true, command: { name: 'stats', windowDays: days } };
  }
  if (name === 'update' || name === 'note') return parseFreeText(name, afterVerb(text));
  if (name === 'followup' || name === 'follow-up' || name === 'action') return parseFollowup(afterVerb(text));
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
  const raw = flagTitle ?? (freeTitle === '' ? null : freeTitle);
  const title = raw === null ? null : unescapeSlackText(raw);
  if (title !== null && [...title].length > MAX_TITLE_LENGTH) {
    return fail(`The title is ${[...title].length} characters long; keep it to ${MAX_TITLE_LENGTH}.`);
  }
  return { ok: true, command: { name: 'create', title, severity, service, isPrivate } };
}

const REFERENCE = /^(?:#|inc-)\d{1,9}(?:-[a-z0-9_-]*)?$/i;
const SCHEDULE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

function isReference(token: string): boolean {
  return REFERENCE.test(token);
}

/** `<@U123|alice>` (Slack escapes mentions for commands with should_escape), `<@U123>` or a bare id. */
export function parseUserMention(token: string): string | null {
  const match = /^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$/.exec(token) ?? /^([UW][A-Z0-9]{8,})$/.exec(token);
  return match ? match[1]! : null;
}

type Partial<C> = C extends { reference: string | null } ? Omit<C, 'reference'> : never;

/** `args` then an optional incident reference (`#12`, `inc-12`) at the end. */
function parseWithReference(
  tokens: string[],
  arity: number,
  build: (args: (string | undefined)[]) => Partial<IncidentCommand> | string,
): ParseResult {
  const last = tokens.at(-1);
  const reference = tokens.length === arity + 1 && last !== undefined && isReference(last) ? last : null;
  const args = reference ? tokens.slice(0, -1) : tokens;
  if (args.length > arity)
    return fail(`Too many words. ${typeof build([]) === 'string' ? build([]) : 'See `/incident help`.'}`);
  const built = build(args);
  if (typeof built === 'string') return fail(built);
  return { ok: true, command: { ...built, reference } as IncidentCommand };
}

function afterVerb(text: string): string {
  return text.trim().replace(/^\S+\s*/, '');
}

/** Free text is taken as typed (quotes and all); an incident reference may lead it. */
function splitReference(rest: string): { reference: string | null; body: string } {
  const match = /^((?:#|inc-)\d{1,9})(?:\s+|$)/i.exec(rest);
  return match
    ? { reference: match[1]!, body: rest.slice(match[0].length).trim() }
    : { reference: null, body: rest.trim() };
}

const MAX_FREE_TEXT = 3000;

function parseFreeText(name: 'update' | 'note', rest: string): ParseResult {
  const { reference, body } = splitReference(rest);
  if (body === '')
    return fail(`Write the ${name} after the command: \`/incident ${name} Rolled back the deploy\`.`);
  if (body.length > MAX_FREE_TEXT) return fail(`Keep the ${name} to ${MAX_FREE_TEXT} characters.`);
  return { ok: true, command: { name, text: body, reference } };
}

function parseFollowup(rest: string): ParseResult {
  let { reference, body } = splitReference(rest);
  let ownerId: string | null = null;
  let dueDate: string | null = null;
  // Owner and due date are read off the end, in either order.
  for (let i = 0; i < 2; i++) {
    const due = /\s*\bdue\s+(\d{4}-\d{2}-\d{2})$/i.exec(body);
    if (due && dueDate === null) {
      if (!isRealDate(due[1]!)) return fail(`"${due[1]}" is not a date: use YYYY-MM-DD.`);
      dueDate = due[1]!;
      body = body.slice(0, due.index).trim();
      continue;
    }
    const owner = /\s*(<@[UW][A-Z0-9]{2,}(?:\|[^>]*)?>)$/.exec(body);
    if (owner && ownerId === null) {
      ownerId = parseUserMention(owner[1]!);
      body = body.slice(0, owner.index).trim();
    }
  }
  if (body === '')
    return fail(
      'Write the action item: `/incident followup Add an alert on queue depth @owner due 2026-12-01`.',
    );
  if (body.length > MAX_FREE_TEXT) return fail(`Keep the action item to ${MAX_FREE_TEXT} characters.`);
  reference ??= null;
  return {
    ok: true,
    command: { name: 'followup', text: unescapeSlackText(body), ownerId, dueDate, reference },
  };
}

function isRealDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** `close [--resolution "…"] [#12]`: the form incident runbooks use. */
function parseClose(tokens: string[]): ParseResult {
  let resolution: string | null = null;
  let reference: string | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '--resolution' || token.startsWith('--resolution=')) {
      const value = token.startsWith('--resolution=') ? token.slice('--resolution='.length) : tokens[++i];
      if (value === undefined || value.trim() === '')
        return fail('`--resolution` needs a value, e.g. `--resolution "Rolled back to v1.2.3"`.');
      resolution = value.trim();
    } else if (isReference(token) && reference === null) {
      reference = token;
    } else {
      return fail(
        'Use `/incident close --resolution "Rolled back to v1.2.3"` (add `#12` outside the incident channel).',
      );
    }
  }
  return { ok: true, command: { name: 'close', resolution, reference } };
}

function parsePage(tokens: string[]): ParseResult {
  const [who, reference, extra] = tokens;
  const usage =
    'Use `/incident page @person` or `/incident page <schedule>`, plus `#12` outside the incident channel.';
  if (who === undefined || extra !== undefined) return fail(usage);
  if (reference !== undefined && !isReference(reference)) return fail(usage);
  const userId = parseUserMention(who);
  if (userId)
    return {
      ok: true,
      command: { name: 'page', target: { kind: 'user', userId }, reference: reference ?? null },
    };
  if (who.startsWith('@') || who.startsWith('<')) {
    return fail(
      `I could not read "${truncate(who, 30)}" as a person: pick them from Slack's @-mention list.`,
    );
  }
  if (!SCHEDULE_NAME.test(who)) return fail(usage);
  return {
    ok: true,
    command: { name: 'page', target: { kind: 'schedule', schedule: who }, reference: reference ?? null },
  };
}

function parseOncall(tokens: string[]): ParseResult {
  if (tokens.length === 0) return { ok: true, command: { name: 'oncall' } };
  const [sub, who, ...rest] = tokens;
  const usage = 'Use `/incident oncall`, or `/incident oncall override @person 2h [--schedule primary]`.';
  if (sub?.toLowerCase() !== 'override' || who === undefined) return fail(usage);
  const userId = parseUserMention(who);
  if (!userId)
    return fail(
      `I could not read "${truncate(who, 30)}" as a person: pick them from Slack's @-mention list.`,
    );
  // The duration may be several words (`1 day`, `1h 30m`), up to the optional --schedule flag.
  const flagAt = rest.findIndex((t) => t.startsWith('--'));
  const durationWords = flagAt === -1 ? rest : rest.slice(0, flagAt);
  if (durationWords.length === 0) return fail(usage);
  let schedule: string | null = null;
  if (flagAt !== -1) {
    const [flag, value, extra] = rest.slice(flagAt);
    const inline = flag?.startsWith('--schedule=') ? flag.slice('--schedule='.length) : undefined;
    const name = inline ?? (flag === '--schedule' ? value : undefined);
    if (
      name === undefined ||
      !SCHEDULE_NAME.test(name) ||
      (inline === undefined ? extra : value) !== undefined
    )
      return fail(usage);
    schedule = name;
  }
  return {
    ok: true,
    command: { name: 'oncall-override', userId, durationText: durationWords.join(' '), schedule },
  };
}

/**
 * The command is escaped by Slack (should_escape): mentions arrive as `<@U…|name>`, channels as
 * `<#C…|name>`, links as `<url|label>`, and `&<>` as entities. A title wants the readable text.
 */
export function unescapeSlackText(text: string): string {
  return text
    .replace(/<([@#])[A-Z0-9]+\|([^>]*)>/g, '$1$2')
    .replace(/<(?:[@#!])([^>|]+)>/g, '$1')
    .replace(/<([^>|]+)\|([^>]*)>/g, '$2')
    .replace(/<([^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
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
