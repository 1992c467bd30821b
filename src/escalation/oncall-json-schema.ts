import { z } from 'zod';
import { oncallFileSchema } from './oncall-file-schema.js';

/**
 * JSON Schema of `oncall.yaml` for editors (yaml-language-server: add
 * `# yaml-language-server: $schema=./oncall.schema.json` as the file's first line). Emitted from the same
 * zod schema that validates the file, as draft-07, which editors support most widely. Checks that need
 * the whole file (references between sections, the one-minute floor) and code checks (time-zone names,
 * calendar dates) are left to `npm run config:check`.
 */
export function buildOncallJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(oncallFileSchema, { io: 'input', target: 'draft-07' }) as Record<
    string,
    unknown
  >;
  return { ...schema, title: 'incident-bot oncall.yaml' };
}

/** The text of the committed `oncall.schema.json`. */
export function renderOncallJsonSchema(): string {
  return `${JSON.stringify(buildOncallJsonSchema(), null, 2)}\n`;
}
