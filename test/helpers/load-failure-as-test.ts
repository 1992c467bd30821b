import type { RunnerTestCase, RunnerTestFile } from 'vitest';
import type { Reporter } from 'vitest/reporters';

/**
 * For the mutation run only (vitest.mutation.config.ts). A mutant in code that runs when a module loads
 * (`word()` returning nothing, used by every declaration in command-specs.ts) can make a test file fail
 * to import. Vitest then reports the file as failed but with no tests, and Stryker's vitest runner,
 * which counts only tests, scores the mutant Survived although `npm test` fails on it. This reporter
 * gives such a file one failed test carrying the import error, so the mutant counts as killed.
 * (Same mechanism upstream: stryker-js issue 6150; seen in @stryker-mutator/vitest-runner 9.6.1.)
 */
export class LoadFailureAsTest implements Reporter {
  onFinished(files: RunnerTestFile[] = []): void {
    for (const file of files) {
      if (file.result?.state !== 'fail' || file.tasks.length > 0) continue;
      file.tasks.push(loadFailure(file));
    }
  }
}

/** A finished, failed test named after the file; nothing runs it, so it needs no test context. */
function loadFailure(file: RunnerTestFile): RunnerTestCase {
  const test: Omit<RunnerTestCase, 'context'> = {
    type: 'test',
    id: `${file.id}_load`,
    name: 'the test file loads',
    mode: 'run',
    meta: {},
    file,
    suite: file,
    timeout: 0,
    annotations: [],
    result: { state: 'fail', errors: file.result?.errors ?? [] },
  };
  return test as RunnerTestCase;
}
