import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'local-slack',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
