import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { sextant: 'src/bin.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  clean: true,
  // The typed client and the shared zod schemas are workspace TypeScript: bundle them; npm packages stay external.
  noExternal: [/^@sextant\//],
  banner: { js: '#!/usr/bin/env node' },
});
