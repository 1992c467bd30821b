import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderOncallJsonSchema } from './oncall-json-schema.js';

/**
 * Regenerates the committed `oncall.schema.json`: `npx tsx src/escalation/write-json-schema.ts`.
 * The file is then formatted by biome, as `npm run lint` checks every JSON file at the top level.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const target = `${root}oncall.schema.json`;
await writeFile(target, renderOncallJsonSchema());
execFileSync(`${root}node_modules/.bin/biome`, ['format', '--write', target], { stdio: 'ignore' });
process.stdout.write(`wrote ${target}\n`);
