import { defineConfig } from 'vitest/config';
import { LoadFailureAsTest } from './test/helpers/load-failure-as-test.js';

// Stryker runs vitest in worker threads inside its own process, so the zone is set for that whole
// process, before vitest starts a thread (test/helpers/zone-and-locale.ts checks it took effect).
process.env.TZ = 'Pacific/Chatham';

/**
 * The unit tests of the pure modules, for `npm run test:mutation` (stryker.config.json): no global
 * setup (no Postgres, Redis or browser), so every mutant runs in about a second.
 */
export default defineConfig({
  test: {
    include: [
      'test/unit/escalation/*.test.ts',
      'test/unit/incidents/*.test.ts',
      'test/unit/postmortem/*.test.ts',
      'test/unit/slack/parse-command*.test.ts',
      'test/unit/slack/tokenize.test.ts',
      'test/unit/slack/escape.test.ts',
      'test/unit/slack/command-registry.test.ts',
      'test/unit/slack/commands/*.test.ts',
    ],
    // Runs the CLI in a child process, where no mutant is active.
    exclude: ['test/unit/escalation/config-check.test.ts'],
    // A fixed seed (a mutant's verdict must not depend on the run), and not UTC/en-US: on this machine a
    // mutant that drops `zone: 'UTC'` would otherwise go unnoticed (test/helpers/zone-and-locale.ts).
    env: { FC_SEED: process.env.FC_SEED ?? '20261202' },
    setupFiles: ['test/helpers/fast-check-seed.ts', 'test/helpers/zone-and-locale.ts'],
    testTimeout: 30_000,
    // A test file that a mutant stops from loading fails a test, so the mutant counts as killed.
    reporters: ['default', new LoadFailureAsTest()],
  },
});
