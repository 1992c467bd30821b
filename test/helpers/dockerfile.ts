import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, statSync } from 'node:fs';
import { basename, join, posix } from 'node:path';

/** One stage of a Dockerfile, in the instructions our Dockerfile uses. */
export interface Stage {
  name: string;
  workdir: string;
  env: Record<string, string>;
  steps: Array<
    | { kind: 'COPY'; from: string | undefined; sources: string[]; dest: string }
    | { kind: 'RUN'; command: string; env: Record<string, string> }
  >;
  user: string | undefined;
  entrypoint: string[];
  cmd: string[];
  healthcheck: string[] | undefined;
}

/** Instructions whose effect a replay cannot reproduce are refused, so the file stays replayable. */
const REPLAYABLE = new Set([
  'FROM',
  'WORKDIR',
  'ENV',
  'COPY',
  'RUN',
  'USER',
  'EXPOSE',
  'ENTRYPOINT',
  'CMD',
  'HEALTHCHECK',
]);

export function parseDockerfile(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, instruction = '', rest = ''] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    const keyword = instruction.toUpperCase();
    if (!REPLAYABLE.has(keyword))
      throw new Error(`Dockerfile: ${keyword} cannot be replayed by the image-steps test`);
    if (keyword === 'FROM') {
      const name = /\bAS\s+(\S+)/i.exec(rest)?.[1] ?? String(stages.length);
      stages.push({
        name,
        workdir: '/',
        env: {},
        steps: [],
        user: undefined,
        entrypoint: [],
        cmd: [],
        healthcheck: undefined,
      });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile: ${keyword} before FROM`);
    if (keyword === 'WORKDIR') stage.workdir = posix.resolve(stage.workdir, rest);
    else if (keyword === 'ENV') {
      for (const [, key, value] of rest.matchAll(/(\w+)=("[^"]*"|\S+)/g))
        stage.env[key!] = value!.replace(/^"|"$/g, '');
    } else if (keyword === 'USER') stage.user = rest;
    else if (keyword === 'RUN') stage.steps.push({ kind: 'RUN', command: rest, env: { ...stage.env } });
    else if (keyword === 'COPY') {
      const words = rest.split(/\s+/);
      const from = words[0]?.startsWith('--from=') ? words.shift()!.slice('--from='.length) : undefined;
      const dest = posix.resolve(stage.workdir, words.pop()!);
      stage.steps.push({
        kind: 'COPY',
        from,
        sources: words,
        dest: words.length > 1 || rest.endsWith('/') ? `${dest}/` : dest,
      });
    } else if (keyword === 'ENTRYPOINT') stage.entrypoint = JSON.parse(rest) as string[];
    else if (keyword === 'CMD') stage.cmd = JSON.parse(rest) as string[];
    else if (keyword === 'HEALTHCHECK')
      stage.healthcheck = JSON.parse(rest.slice(rest.indexOf('CMD ') + 4)) as string[];
  }
  return stages;
}

/**
 * Replays every stage's COPY and RUN steps on this machine: stage `s` lives in `root/s`, which stands
 * for the container's `/`; the build context is `context`. Returns the directory standing for `/`
 * of the last stage.
 */
export function replayStages(stages: Stage[], context: string, root: string): string {
  const rootOf = (name: string) => join(root, name);
  for (const stage of stages) {
    const fs = rootOf(stage.name);
    mkdirSync(join(fs, stage.workdir), { recursive: true, mode: 0o755 });
    for (const step of stage.steps) {
      if (step.kind === 'RUN') {
        const result = spawnSync('sh', ['-c', step.command], {
          cwd: join(fs, stage.workdir),
          // The build's own npm cache, as a container has: the image's `npm cache clean --force`
          // must not empty this machine's cache under other npm runs (nor race with them).
          env: { ...process.env, npm_config_cache: join(root, 'npm-cache'), ...step.env },
          encoding: 'utf8',
        });
        if (result.status !== 0) {
          throw new Error(
            `RUN ${step.command} (stage ${stage.name}) failed:\n${result.stdout}\n${result.stderr}`,
          );
        }
        continue;
      }
      const from = step.from === undefined ? context : rootOf(step.from);
      for (const source of step.sources) {
        const path = join(from, source);
        // Docker's rule: a directory's contents go to dest; a file goes into dest/ or becomes dest.
        const target =
          step.dest.endsWith('/') && !statSync(path).isDirectory()
            ? join(fs, step.dest, basename(source))
            : join(fs, step.dest);
        cpSync(path, target, { recursive: true });
      }
    }
  }
  return rootOf(stages.at(-1)!.name);
}
