// Starts the built API on a throwaway embedded Postgres for one e2e run, and removes it afterwards.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dir = mkdtempSync(path.join(tmpdir(), 'sextant-e2e-'));
chmodSync(dir, 0o755); // reachable by the postgres user the server runs as
const child = spawn(process.execPath, ['../api/dist/main.js'], {
  stdio: ['ignore', 'inherit', 'inherit'],
  // Own process group: Playwright signals ours, and we forward exactly one signal.
  detached: true,
  env: {
    ...process.env,
    DATABASE_URL: '',
    SEXTANT_PG_DATA_DIR: path.join(dir, 'pg'),
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
  },
});
const cleanup = () => rmSync(dir, { recursive: true, force: true });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => {
  cleanup();
  process.exit(code ?? 0);
});
