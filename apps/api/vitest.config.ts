import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['@sextant/db/testing'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Files run one at a time (several start API processes and time what they see)...
    fileParallelism: false,
    // ...in one module graph: re-importing Fastify, tRPC and Drizzle per file cost about a minute of the run.
    isolate: false,
  },
});
