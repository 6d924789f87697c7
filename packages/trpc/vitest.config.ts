import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['@sextant/db/testing'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
