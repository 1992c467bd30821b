import { defineConfig } from 'vitest/config';

/**
 * The unit tests of the pure modules, for `npm run test:mutation` (stryker.config.json): no global
 * setup (no Postgres, Redis or browser), so every mutant runs in about a second.
 */
export default defineConfig({
  test: {
    include: [
      'test/unit/escalation/duration.test.ts',
      'test/unit/escalation/wall-time.test.ts',
      'test/unit/escalation/schedule.test.ts',
      'test/unit/escalation/escalation-steps.test.ts',
      'test/unit/escalation/oncall-config.test.ts',
      'test/unit/escalation/oncall-example.test.ts',
      'test/unit/incidents/*.test.ts',
      'test/unit/postmortem/*.test.ts',
      'test/unit/slack/parse-command*.test.ts',
      'test/unit/slack/commands/*.test.ts',
    ],
    // A fixed seed: a mutant's verdict must not depend on the run.
    env: { FC_SEED: process.env.FC_SEED ?? '20261202' },
    setupFiles: ['test/helpers/fast-check-seed.ts'],
    testTimeout: 30_000,
  },
});
