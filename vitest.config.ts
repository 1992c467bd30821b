import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Two cores: integration files each start a bot, a fake Slack and BullMQ workers.
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      {
        test: {
          name: 'bot',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      // The workspace packages (the local Slack) bring their own vitest.config.ts.
      'packages/*',
    ],
  },
});
