import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cleanup } from './cleanup';

export { freePort } from '@sextant/db/testing';

export interface Server {
  name: string;
  child: ChildProcess;
  /** Last lines of output, shown when the server dies or never gets healthy. */
  tail(): string;
  /** Stops it before the bench ends (the cleanup step then finds it gone). */
  stop(): Promise<void>;
}

/** Spawns a server as a child, keeps its recent output, and registers its shutdown. */
export function spawnServer(
  cleanup: Cleanup,
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Server {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 30));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  cleanup.add(name, () => stopChild(child));
  return { name, child, tail: () => lines.join('\n'), stop: () => stopChild(child) };
}

/** SIGTERM first so the API drains and closes its pool; SIGKILL if it hangs. */
async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Polls url until it answers 2xx; fails fast, with the server's output, if the child exits. */
export async function waitForHttp(server: Server, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(
        `${server.name} exited (${server.child.exitCode ?? server.child.signalCode}) before ${url} answered:\n${server.tail()}`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`${server.name}: ${url} did not answer within ${timeoutMs} ms:\n${server.tail()}`);
}
