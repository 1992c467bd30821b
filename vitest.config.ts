import { defineConfig } from 'vitest/config';

// One fast-check seed for the whole run, printed, so a failing property test can be replayed. Kept in
// process.env because vitest evaluates this file again for each project.
if (!process.env.FC_SEED) {
  process.env.FC_SEED = String(Math.floor(Math.random() * 2 ** 31));
  console.log(`fast-check seed ${process.env.FC_SEED} (replay: FC_SEED=${process.env.FC_SEED} npm test)`);
}
const fcSeed = process.env.FC_SEED;

/** The unit tests of the pure modules (schedules, durations, stats, postmortem, parser, views). */
const PURE_UNIT_TESTS = [
  'test/unit/escalation/*.test.ts',
  'test/unit/incidents/*.test.ts',
  'test/unit/postmortem/*.test.ts',
  'test/unit/slack/**/*.test.ts',
];

export default defineConfig({
  test: {
    env: { FC_SEED: fcSeed },
    setupFiles: ['test/helpers/fast-check-seed.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: integration files each start a bot, a fake Slack and BullMQ workers.
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      {
        extends: true,
        test: {
          name: 'bot',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
        },
      },
      {
        // The pure unit tests again, in a zone with a +12:45/+13:45 offset and DST, and a German locale:
        // nothing may depend on the machine's UTC/en-US (test/helpers/zone-and-locale.ts).
        extends: true,
        test: {
          name: 'chatham-de',
          include: PURE_UNIT_TESTS,
          exclude: ['test/unit/escalation/config-check.test.ts'],
          env: { TZ: 'Pacific/Chatham', FC_SEED: fcSeed },
          setupFiles: ['test/helpers/zone-and-locale.ts'],
        },
      },
      // The workspace packages (the local Slack) bring their own vitest.config.ts.
      'packages/*',
    ],
  },
});
