import type { Document } from 'yaml';
import { z } from 'zod';
import { oncallFileSchema } from './oncall-file-schema.js';

/** One thing wrong with an on-call file, at the path of the value it is about. */
export interface Problem {
  path: PropertyKey[];
  message: string;
}

function formatPath(path: PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? '(file)' : text;
}

export function formatProblem(problem: Problem): string {
  return `${formatPath(problem.path)}: ${problem.message}`;
}

/** Sorts problems by where their value sits in the file, so the list reads top to bottom. */
export function inDocumentOrder(problems: Problem[], doc: Document): Problem[] {
  const offset = (path: PropertyKey[]): number => {
    for (let length = path.length; length > 0; length--) {
      const node = doc.getIn(path.slice(0, length), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return node.range[0];
    }
    return 0;
  };
  return problems
    .map((problem, index) => ({ problem, index, at: offset(problem.path) }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map(({ problem }) => problem);
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping (key: value lines)',
  record: 'a mapping (key: value lines)',
  array: 'a list',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

/** Messages for checks that carry none of their own. */
export function defaultMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type') return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
  return undefined;
}

/** Fields whose values are secrets: a problem with one names the field, never the value. */
const SECRET_FIELDS = new Set(['alert_key']);

function describeInput(input: unknown): string {
  if (Array.isArray(input))
    return input.length === 0 ? ' (got an empty list)' : ` (got a list of ${input.length})`;
  if (typeof input === 'object' && input !== null) return ' (got a mapping)';
  return ` (got ${JSON.stringify(input)})`;
}

export function describeIssue(issue: z.core.$ZodIssue): Problem[] {
  const path = issue.path as PropertyKey[];
  if (issue.code === 'unrecognized_keys') {
    const known = knownFields(path);
    const hint = known.length > 0 ? ` (expected one of: ${known.join(', ')})` : '';
    return issue.keys.map((key) => ({ path: [...path, key], message: `unknown field${hint}` }));
  }
  if (issue.code === 'invalid_key') {
    const key = String(path.at(-1));
    return [{ path, message: `"${key}" is not a valid name: use letters, digits, ".", "_" or "-"` }];
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return [{ path, message: 'is required' }];
  // A secret is never repeated back (config:check output and start-up errors reach logs).
  if (SECRET_FIELDS.has(String(path.at(-1)))) return [{ path, message: issue.message }];
  return [{ path, message: `${issue.message}${describeInput(issue.input)}` }];
}

/** The field names the schema allows at `path`, for "unknown field" hints. */
function knownFields(path: PropertyKey[]): string[] {
  let schema: z.ZodType | undefined = oncallFileSchema;
  for (const segment of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodType>)[String(segment)];
    else if (schema instanceof z.ZodRecord) schema = schema.valueType as z.ZodType;
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else return [];
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}
