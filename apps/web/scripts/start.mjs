// Starts the built console and prints its URL; `next start` alone does not say where the API is.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const host = process.env.WEB_HOST || '127.0.0.1';
const port = process.env.WEB_PORT || '3000';
const api = process.env.API_URL || 'http://127.0.0.1:4000';
const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');

const child = spawn(process.execPath, [nextBin, 'start', '--hostname', host, '--port', port], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, NODE_ENV: 'production' },
});
child.once('spawn', () => console.log(`\n  Sextant console   http://${host}:${port}   (API ${api})\n`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
