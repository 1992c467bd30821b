import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The migrations folder with its numbers closed up (1, 2, 3…): a branch whose migration was given a
 * later number than main's last one runs its tests here until the merge renumbers the file.
 */
export function contiguousMigrationsDir(): string {
  const source = fileURLToPath(new URL('../../migrations/', import.meta.url));
  const target = mkdtempSync(join(tmpdir(), 'migrations-'));
  readdirSync(source)
    .filter((name) => /^\d{4}_.*\.sql$/.test(name))
    .sort()
    .forEach((name, index) => {
      copyFileSync(join(source, name), join(target, `${String(index + 1).padStart(4, '0')}${name.slice(4)}`));
    });
  return target;
}
