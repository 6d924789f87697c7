import { cpSync } from 'node:fs';
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: true,
  // Workspace packages are TypeScript source: bundle them; npm dependencies stay external.
  noExternal: [/^@sextant\//],
  async onSuccess() {
    cpSync('../../packages/db/drizzle', 'dist/drizzle', { recursive: true });
  },
});
