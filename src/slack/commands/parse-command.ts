import { SEVERITIES, SEVERITY_LEVELS } from '../../incidents/incident-types.js';
import {
  afterVerb,
  type CommandOf,
  type CommandSpec,
  parseWithSpec,
  syntaxOf,
  verbMatches,
} from './command-spec.js';
import { COMMAND_SPECS } from './command-specs.js';
import { clip } from './grammar.js';

export type { LifecycleStatus } from '../../incidents/incident-types.js';
export { MAX_TITLE_LENGTH } from './command-specs.js';
export { parseSeverity, parseUserMention, slackToPlain } from './slack-words.js';

export type IncidentCommand = CommandOf<(typeof COMMAND_SPECS)[number]>;
export type CommandName = IncidentCommand['name'];
export type PageTarget = Extract<IncidentCommand, { name: 'page' }>['target'];

/** On failure, `usage` is what to show under the error: the lines of that command, or all of them. */
export type ParseResult =
  | { ok: true; command: IncidentCommand }
  | { ok: false; error: string; usage: string };

const SPECS: readonly CommandSpec[] = COMMAND_SPECS;

function line(spec: CommandSpec): string {
  const examples = spec.examples.map((e) => `\n    e.g. \`${e}\``).join('');
  return `• \`${syntaxOf(spec)}\` — ${spec.summary}${examples}`;
}

/** `/incident help`, generated from the declarations. */
export const USAGE = [
  '*Usage:* `/incident <command>`',
  ...SPECS.filter((s) => s.scope === 'global').map(line),
  '*In an incident channel* (elsewhere add the incident, like `#12` or `inc-12`):',
  ...SPECS.filter((s) => s.scope === 'incident').map(line),
  `Severities: ${SEVERITIES.map((s) => `${s} (${SEVERITY_LEVELS[s].name.toLowerCase()})`).join(' · ')}.`,
].join('\n');

/** The usage lines of the commands a word starts (`oncall` gives both oncall lines); null if none. */
export function usageFor(verb: string): string | null {
  const word = verb.toLowerCase();
  const specs = SPECS.filter((s) => s.verbs.some((v) => v[0] === word));
  if (specs.length === 0) return null;
  // The commands one word starts share a scope (oncall and oncall override).
  const where =
    specs[0]!.scope === 'incident' ? '\n_In the incident channel, or add the incident, like `#12`._' : '';
  return `*Usage:*\n${specs.map(line).join('\n')}${where}`;
}

/** Never throws: every input is a command or a message that says what to fix. */
export function parseIncidentCommand(text: string): ParseResult {
  try {
    return parseCommandText(text);
  } catch {
    // The parser must answer every input; a bug here becomes a usage message, never a trace.
    return { ok: false, error: 'I could not read that command.', usage: USAGE };
  }
}

/** The name the brief and older callers know it by. */
export const parseCommand = parseIncidentCommand;

function parseCommandText(text: string): ParseResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, command: { name: 'help', topic: null } };
  const typed = trimmed.split(/\s+/);
  const words = typed.map((w) => w.toLowerCase());
  const match = findSpec(words);
  if (!match) return { ok: false, error: `Unknown command \`${clip(typed[0]!, 40)}\`.`, usage: USAGE };
  const rest = afterVerb(match.verb, trimmed);
  const parsed = parseWithSpec(match.spec, rest);
  return parsed.ok
    ? { ok: true, command: parsed.command as IncidentCommand }
    : { ok: false, error: parsed.error, usage: usageFor(words[0]!) ?? USAGE };
}

/** Every verb with its spec, longest first, so `oncall override` is tried before `oncall`. */
const VERBS = SPECS.flatMap((spec) => spec.verbs.map((verb) => ({ spec, verb }))).sort(
  (a, b) => b.verb.length - a.verb.length,
);

function findSpec(words: string[]): { spec: CommandSpec; verb: readonly string[] } | null {
  return VERBS.find(({ verb }) => verbMatches(verb, words)) ?? null;
}
