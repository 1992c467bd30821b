import { type Arg, type ArgValues, clip, type Flag, type FlagValues, listWords, Refusal } from './grammar.js';
import { isReference } from './slack-words.js';
import { tokenize } from './tokenize.js';

/**
 * Who may run a subcommand, by the access rule (incidents/access.ts): `anyone`; `viewer`, `changer`,
 * `pager` and `escalator` (may view, change, page, escalate the incident it acts on); `admin`
 * (named in oncall.yaml); `override` is decided by the handler with escalation/override-access.ts
 * (admins, or participants of the schedule concerned); `maintainer` by the handler with
 * alerts/maintenance-access.ts (admins, or the people the service's escalation policy pages).
 */
export type Access =
  | 'anyone'
  | 'viewer'
  | 'changer'
  | 'pager'
  | 'escalator'
  | 'admin'
  | 'override'
  | 'maintainer';

/** `incident` commands act on the incident of the channel, or the one a `#12` names. */
export type Scope = 'incident' | 'global';

type Args = Record<string, Arg<unknown>>;
type Flags = Record<string, Flag<unknown>>;

/** One `/incident` subcommand: its grammar, usage, access rule. Its handler is keyed by `name`. */
export interface CommandSpec<N extends string = string, C = unknown, S extends Scope = Scope> {
  readonly name: N;
  /** The words that invoke it (`oncall override` is two); the first is the one shown. */
  readonly verbs: readonly (readonly string[])[];
  readonly summary: string;
  /** Full command lines shown under the usage, such as the forms incident runbooks use. */
  readonly examples: readonly string[];
  readonly access: Access;
  readonly scope: S;
  readonly args: Args;
  readonly flags: Flags;
  /** What a refused `changer`, `pager` or `escalator` may not do: "change the status". */
  what?(command: C): string;
  build(values: Record<string, unknown>): C | Refusal;
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type Empty = Record<never, never>;

/** The command a spec parses to: its name, its values, and the reference for incident commands. */
export type CommandOf<T> =
  T extends CommandSpec<infer N, infer C, infer S>
    ? Simplify<{ name: N } & C & (S extends 'incident' ? { reference: string | null } : Empty)>
    : never;

export function defineCommand<
  const N extends string,
  S extends Scope,
  A extends Args = Empty,
  F extends Flags = Empty,
  C = ArgValues<A> & FlagValues<F>,
>(spec: {
  name: N;
  verbs?: readonly string[];
  summary: string;
  examples?: readonly string[];
  access: Access;
  scope: S;
  args?: A;
  flags?: F;
  build?: (values: ArgValues<A> & FlagValues<F>) => C | Refusal;
  what?: (command: C) => string;
}): CommandSpec<N, C, S> {
  const { build, what } = spec;
  return {
    name: spec.name,
    verbs: (spec.verbs ?? [spec.name]).map((v) => v.split(' ')),
    summary: spec.summary,
    examples: spec.examples ?? [],
    access: spec.access,
    scope: spec.scope,
    args: spec.args ?? {},
    flags: spec.flags ?? {},
    ...(what ? { what } : {}),
    build: (values) => (build ? build(values as ArgValues<A> & FlagValues<F>) : (values as C)),
  };
}

/** `/incident role commander|comms|scribe @person`, from the declaration. */
export function syntaxOf(spec: CommandSpec): string {
  const parts = [`/incident ${spec.verbs[0]!.join(' ')}`];
  for (const arg of Object.values(spec.args)) parts.push(arg.fallback ? `[${arg.label}]` : arg.label);
  for (const flag of Object.values(spec.flags))
    parts.push(`[--${flag.names[0]}${flag.label === null ? '' : ` ${flag.label}`}]`);
  // A verb word ending in `:` is the start of the next word typed: `page service:<service>`.
  return parts.reduce((line, part) => (line.endsWith(':') ? `${line}${part}` : `${line} ${part}`));
}

/**
 * Whether typed words (lowercase) start with a verb. A verb word ending in `:` (`service:`) is a
 * prefix of the word typed (`service:payments`): the rest of that word is the first argument.
 */
export function verbMatches(verb: readonly string[], words: readonly string[]): boolean {
  return verb.every((w, i) => (w.endsWith(':') ? words[i]?.startsWith(w) === true : words[i] === w));
}

/** What follows a verb in the text as typed (trimmed). */
export function afterVerb(verb: readonly string[], typed: string): string {
  const pattern = verb.map((w) => (w.endsWith(':') ? `\\S{${w.length}}\\s*` : '\\S+\\s*')).join('');
  return typed.replace(new RegExp(`^${pattern}`), '');
}

export type Parsed = { ok: true; command: { name: string } } | { ok: false; error: string };

const fail = (error: string): Parsed => ({ ok: false, error });

/** Reads what follows the verb (`rest`: as typed, trimmed) by the spec's grammar. */
export function parseWithSpec(spec: CommandSpec, rest: string): Parsed {
  const read = Object.values(spec.args).some((a) => a.kind === 'text')
    ? readText(spec, rest)
    : readTokens(spec, rest);
  if (read instanceof Refusal) return fail(read.message);
  const built = spec.build(read.values);
  if (built instanceof Refusal) return fail(built.message);
  const reference = spec.scope === 'incident' ? { reference: read.reference } : {};
  return { ok: true, command: { name: spec.name, ...(built as object), ...reference } };
}

type Read = { values: Record<string, unknown>; reference: string | null };

/** Free text (update, note, follow-up): an incident reference may lead it; the rest is kept as typed. */
function readText(spec: CommandSpec, rest: string): Read | Refusal {
  let body = rest;
  let reference: string | null = null;
  const leading = spec.scope === 'incident' ? /^((?:#|inc-)\d{1,9})(?:\s+|$)/i.exec(body) : null;
  if (leading) {
    reference = leading[1]!;
    body = body.slice(leading[0].length);
  }
  const [key, arg] = Object.entries(spec.args)[0]!;
  // Free text is never optional: `noun` says what to write.
  if (body === '') return new Refusal(arg.noun);
  const value = arg.read(body);
  return value instanceof Refusal ? value : { values: { [key]: value }, reference };
}

function readTokens(spec: CommandSpec, rest: string): Read | Refusal {
  const tokenized = tokenize(rest);
  if (!tokenized.ok) return new Refusal(tokenized.error);
  const { tokens } = tokenized;
  const values: Record<string, unknown> = {};
  const seen = new Set<string>();
  const positional: string[] = [];
  let reference: string | null = null;
  const verb = spec.verbs[0]!.join(' ');
  const command = `\`/incident ${verb}\``;

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.startsWith('--') && token.length > 2) {
      const eq = token.indexOf('=');
      const name = (eq === -1 ? token.slice(2) : token.slice(2, eq)).toLowerCase();
      const inline = eq === -1 ? undefined : token.slice(eq + 1);
      const entry = Object.entries(spec.flags).find(([, f]) => f.names.includes(name));
      if (!entry) return unknownFlag(spec, command, name);
      const [key, flag] = entry;
      const shown = `\`--${flag.names[0]}\``;
      if (seen.has(key)) return new Refusal(`${shown} is given twice.`);
      seen.add(key);
      let value = inline;
      // A switch reads only an inline value (`--private=yes` is refused); others may take the next word.
      if (value === undefined && flag.label !== null) {
        const next = tokens[i + 1];
        if (next !== undefined && !next.startsWith('--')) {
          value = next;
          i++;
        }
      }
      if (value === undefined && flag.label !== null) return new Refusal(flag.missing!);
      const parsed = flag.read(value ?? '');
      if (parsed instanceof Refusal) return parsed;
      values[key] = parsed;
    } else if (spec.scope === 'incident' && reference === null && isReference(token)) {
      reference = token;
    } else {
      positional.push(token);
    }
  }
  for (const [key, flag] of Object.entries(spec.flags)) if (!seen.has(key)) values[key] = flag.fallback;

  let next = 0;
  for (const [key, arg] of Object.entries(spec.args)) {
    const input = arg.kind === 'word' ? positional[next] : positional.slice(next).join(' ');
    next = arg.kind === 'word' ? next + 1 : positional.length;
    if (input === undefined || input === '') {
      if (!arg.fallback) return new Refusal(`${command} needs ${arg.noun}: \`${syntaxOf(spec)}\`.`);
      values[key] = arg.fallback.value;
      continue;
    }
    const value = arg.read(input);
    if (value instanceof Refusal) return value;
    values[key] = value;
  }
  const extra = positional.slice(next);
  if (extra.length > 0) return tooMany(spec, verb, extra);
  return { values, reference };
}

function unknownFlag(spec: CommandSpec, command: string, name: string): Refusal {
  const names = Object.values(spec.flags).map((f) => `--${f.names[0]}`);
  return new Refusal(
    names.length > 0
      ? `Unknown option \`--${clip(name, 30)}\`. Options are ${listWords(names, 'and')}.`
      : `${command} takes no options (got \`--${clip(name, 30)}\`).`,
  );
}

function tooMany(spec: CommandSpec, verb: string, extra: string[]): Refusal {
  const takesNothing = Object.keys(spec.args).length === 0 && Object.keys(spec.flags).length === 0;
  if (takesNothing && spec.scope === 'incident')
    return new Refusal(
      `\`/incident ${verb}\` takes nothing but an incident reference, like \`/incident ${verb} #12\`.`,
    );
  if (takesNothing) return new Refusal(`\`/incident ${verb}\` takes no arguments.`);
  return new Refusal(`Too many words: "${clip(extra.join(' '), 40)}". Use \`${syntaxOf(spec)}\`.`);
}
