import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/main.js');

export interface ApiProcess {
  child: ChildProcess;
  /** Parsed JSON log lines so far. */
  logs: Array<Record<string, unknown>>;
  stderr: string[];
  baseUrl: Promise<string>;
  exited: Promise<number | null>;
}

/** Runs the built server (`dist/main.js`) as a real process, as production does. */
export function spawnApi(env: Record<string, string>): ApiProcess {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      API_PORT: '0',
      LOG_LEVEL: 'info',
      API_RATE_LIMIT_PER_MIN: '0',
      // A given first password is not written to the workspace's .sextant/ as a generated one would be.
      SEXTANT_ADMIN_PASSWORD: 'test-first-admin-password',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const stderr: string[] = [];
  let resolveUrl: (url: string) => void;
  const baseUrl = new Promise<string>((resolve, reject) => {
    resolveUrl = resolve;
    child.once('exit', (code) =>
      reject(new Error(`API exited with ${code} before listening: ${stderr.join('')}`)),
    );
  });
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === 'API listening') resolveUrl(entry.url as string);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  baseUrl.catch(() => {});
  return { child, logs, stderr, baseUrl, exited };
}
