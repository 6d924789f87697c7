import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileOutbound } from '@sextant/trpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSendNotification } from '../../src/notify';
import { message, target } from './fixtures';

/** A webhook remote that counts the TCP connections it accepted. */
let server: http.Server;
let base = '';
let connections = 0;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end());
  });
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const hook = () => target({ kind: 'webhook', url: `${base}/hook`, maxAlerts: 0, timeoutMs: 2_000 }, {});

describe('notification connections', () => {
  it('reuses keep-alive connections for messages one after another', async () => {
    const policy = compileOutbound({ deny: [], allow: ['127.0.0.1'] });
    const send = createSendNotification(async () => ({ outbound: policy }));
    const before = connections;
    for (let i = 0; i < 20; i++)
      expect(await send(hook(), message(), { timeoutMs: 2_000 })).toMatchObject({ class: 'success' });
    // undici may open a second while the first is released; never one per message.
    expect(connections - before).toBeLessThanOrEqual(2);
  });

  it('a new outbound policy retires the connections: a denied remote is refused at once, before any connection', async () => {
    let policy = compileOutbound({ deny: [], allow: ['127.0.0.1'] });
    const send = createSendNotification(async () => ({ outbound: policy }));
    expect(await send(hook(), message(), { timeoutMs: 2_000 })).toMatchObject({ class: 'success' });
    const before = connections;
    policy = compileOutbound({ deny: [], allow: [] }); // loopback is denied by default again
    const refused = await send(hook(), message(), { timeoutMs: 2_000 });
    expect(refused.class).toBe('permanent');
    expect(refused.error).toMatch(/loopback/);
    expect(connections).toBe(before);
  });
});
