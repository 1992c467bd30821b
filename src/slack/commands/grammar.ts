/**
 * The pieces a subcommand's grammar is declared with (see command-specs.ts): positional arguments
 * read in order, `--flags` anywhere, and for incident commands an optional reference (`#12`). The
 * parser, the usage lines and `/incident help` are all derived from these declarations.
 */

/** What is wrong with a piece of input, in words the user can act on. */
export class Refusal {
  constructor(readonly message: string) {}
}

export const refuse = (message: string): Refusal => new Refusal(message);

export interface Arg<V> {
  /** How the usage line shows it: `@person`, `SEV1|SEV2|SEV3|SEV4`. */
  readonly label: string;
  /** What it is, for "needs a …" messages: "a person". */
  readonly noun: string;
  /** One word; the remaining words joined by spaces; or the raw text as typed (quotes and all). */
  readonly kind: 'word' | 'words' | 'text';
  /** Present when the argument may be left out: the value it then takes. */
  readonly fallback?: { value: V };
  read(input: string): V | Refusal;
}

export interface Flag<V> {
  /** Names without the dashes; the first is the one shown. */
  readonly names: readonly [string, ...string[]];
  /** The value's label in usage (`SEV1|…`); null for a switch such as `--private`. */
  readonly label: string | null;
  /** Said when the flag has no value; switches have none. */
  readonly missing?: string;
  readonly fallback: V;
  /** The value; a switch gets its inline value (`--private=x`), or '' when it has none. */
  read(input: string): V | Refusal;
}

export const word = <V>(label: string, noun: string, read: (input: string) => V | Refusal): Arg<V> => ({
  label,
  noun,
  kind: 'word',
  read,
});

/** One of a fixed list of words, case-insensitive: `role janitor` is refused with the list. */
export function oneOf<const T extends string>(values: readonly T[], noun: string, label?: string): Arg<T> {
  return word(label ?? values.join('|'), `a ${noun}`, (input) => {
    const found = values.find((v) => v.toLowerCase() === input.toLowerCase());
    return found ?? refuse(`\`${clip(input, 30)}\` is not a ${noun}: use ${listWords(values)}.`);
  });
}

/** The remaining words, joined by single spaces (a title, a duration). */
export const words = (label: string, noun: string, read: (input: string) => string | Refusal = (s) => s) =>
  ({ label, noun, kind: 'words', read }) satisfies Arg<string>;

/** The rest of the line exactly as typed; `missing` says what to write when it is empty. */
export function text<V>(label: string, missing: string, read: (input: string) => V | Refusal): Arg<V> {
  return { label, noun: missing, kind: 'text', read };
}

/** Makes an argument optional: left out, it takes `value`. */
export const optional = <V, const D>(arg: Arg<V>, value: D): Arg<V | D> => ({
  ...arg,
  fallback: { value },
});

export function valueFlag<V>(
  names: readonly [string, ...string[]],
  label: string,
  missing: string,
  read: (input: string) => V | Refusal,
): Flag<V | null> {
  return { names, label, missing, fallback: null, read };
}

/** A flag without a value, such as `--private`: false unless given. */
export function switchFlag(name: string): Flag<boolean> {
  const read = (inline: string) => (inline === '' ? true : refuse(`\`--${name}\` takes no value.`));
  return { names: [name], label: null, fallback: false, read };
}

export type ArgValues<A> = { [K in keyof A]: A[K] extends Arg<infer V> ? V : never };
export type FlagValues<F> = { [K in keyof F]: F[K] extends Flag<infer V> ? V : never };

export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** "a, b or c" (never empty) */
export function listWords(values: readonly string[], conjunction: 'or' | 'and' = 'or'): string {
  if (values.length === 1) return values[0]!;
  return `${values.slice(0, -1).join(', ')} ${conjunction} ${values.at(-1)}`;
}
