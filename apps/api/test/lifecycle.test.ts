import { once } from 'node:events';
import { request } from 'node:http';
import { connect } from 'node:net';
import { createTestDatabase } from '@sextant/db/testing';
import { describe, expect, inject, it } from 'vitest';
import { spawnApi } from './process';

describe('process lifecycle', () => {
  it('a bad configuration value stops start-up with one clear line', async () => {
    const api = spawnApi({ API_PORT: 'not-a-port', DB_POOL_MAX: '-1' });
    expect(await api.exited).toBe(1);
    const lines = api.stderr.join('').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sextant-api: Invalid configuration: API_PORT .*; DB_POOL_MAX /);
  });

  it('SIGTERM finishes the in-flight request, then exits 0', async () => {
    const api = spawnApi({ DATABASE_URL: await createTestDatabase(inject('adminUrl')) });
    const base = new URL(await api.baseUrl);
    const body = JSON.stringify({ json: null });

    // Start a request whose body is still arriving when the signal lands.
    const response = new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: base.hostname,
          port: base.port,
          method: 'POST',
          path: '/trpc/system.info',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 3));
      setTimeout(() => {
        api.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(3)), 300);
      }, 100);
    });

    // A query called with POST is refused by tRPC with 405, but it is answered, not dropped.
    expect(await response).toBe(405);
    expect(await api.exited).toBe(0);
    const messages = api.logs.map((l) => l.msg);
    expect(messages).toContain('shutting down: draining requests');
    expect(messages).toContain('shutdown complete');
  });

  it('SIGTERM is not held by a client that connected and never sent a request', async () => {
    // Node's idle-connection close skips such a socket; unhandled, it held the drain past the grace delay (exit 1).
    const api = spawnApi({
      DATABASE_URL: await createTestDatabase(inject('adminUrl')),
      API_SHUTDOWN_TIMEOUT_MS: '20000',
    });
    const base = new URL(await api.baseUrl);
    const silent = connect({ host: base.hostname, port: Number(base.port) });
    await once(silent, 'connect');
    const closed = once(silent, 'close');
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(api.logs.map((l) => l.msg)).toContain('shutdown complete');
    await closed;
  });
});
