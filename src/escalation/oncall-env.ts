import type { Problem } from './oncall-config-problems.js';

/** The environment `${VAR}` in an on-call file is read from (`src/config.ts` passes `process.env`). */
export type OncallEnv = Readonly<Record<string, string | undefined>>;

/** `${NAME}`, or `$${…}` for a literal `${…}`; names as shells write them. */
const REFERENCE = /\$(\$?)\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces `${VAR}` in every string of a parsed on-call file with the variable's value (issue #12's
 * contract: e.g. `alert_key: ${CHECKOUT_ALERT_KEY}` keeps secrets out of the file). A variable that is
 * unset or empty, or a reference that is not a name, is a problem at the string's path; `$${…}` stands
 * for a literal `${…}`. Keys are left as written.
 */
export function substituteEnv(value: unknown, env: OncallEnv): { value: unknown; problems: Problem[] } {
  const problems: Problem[] = [];
  const walk = (node: unknown, path: PropertyKey[]): unknown => {
    if (typeof node === 'string') return substituteString(node, env, path, problems);
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...path, index]));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, [...path, key])]));
    }
    return node;
  };
  return { value: walk(value, []), problems };
}

function substituteString(text: string, env: OncallEnv, path: PropertyKey[], problems: Problem[]): string {
  return text.replace(REFERENCE, (whole, literal: string, name: string) => {
    if (literal) return whole.slice(1);
    if (!NAME.test(name)) {
      problems.push({
        path,
        message: `"\${${name}}" is not a variable name: use \${NAME} (letters, digits, _)`,
      });
      return whole;
    }
    const found = env[name];
    if (found === undefined || found === '') {
      problems.push({ path, message: `\${${name}} is not set in the environment` });
      return whole;
    }
    return found;
  });
}
