import { execFile } from 'node:child_process';
import { ensurePrograms, PROMTOOL } from '@incident-bot/local-slack';

export interface PromtoolResult {
  code: number;
  /** stdout then stderr. */
  output: string;
}

/** The installed promtool (the test global setup installs Debian's prometheus package when it can). */
export function findPromtool(): string {
  return ensurePrograms([PROMTOOL], { why: 'The SLO rules test', install: false })[0]!;
}

/**
 * Runs promtool with a generous timeout (two busy cores) and resolves with its exit code and output;
 * a failing check is a result to assert on, not an exception.
 */
export function runPromtool(promtool: string, args: string[], cwd: string): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    execFile(promtool, args, { cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (error === null) return resolve({ code: 0, output });
      if (typeof error.code === 'number') return resolve({ code: error.code, output });
      reject(new Error(`promtool ${args.join(' ')} did not finish (${error.message}):\n${output}`));
    });
  });
}

/**
 * A counter's `values` in promtool's expanding notation: 0 at time 0, then per segment `steps` samples
 * each `perStep` higher than the last (`[[120, 0], [60, 20]]`: flat for 120 steps, then +20 a step for 60).
 */
export function counterValues(segments: ReadonlyArray<readonly [steps: number, perStep: number]>): string {
  let value = 0;
  const parts = ['0'];
  for (const [steps, perStep] of segments) {
    parts.push(`${value + perStep}+${perStep}x${steps - 1}`);
    value += steps * perStep;
  }
  return parts.join(' ');
}
