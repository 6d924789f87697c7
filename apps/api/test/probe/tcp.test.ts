import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../src/monitoring/probe';
import { allowLoopback, tcpCheck, withOutbound } from './checks';
import { closedPort, type Running, startBlackhole, startTcp } from './servers';

let v4: Running;
let v6: Running;

beforeAll(async () => {
  v4 = await startTcp();
  v6 = await startTcp('::1');
});
afterAll(async () => {
  await v4.close();
  await v6.close();
});

describe('tcp probe', () => {
  it('passes when the port accepts a connection, with latency', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const result = await probe(tcpCheck(host, v4.port), allowLoopback);
      expect(result, host).toMatchObject({
        ok: true,
        errorClass: null,
        message: null,
        httpStatus: null,
        tlsExpiresAt: null,
      });
      expect(result.latencyMs).toBeTypeOf('number');
    }
    expect(await probe(tcpCheck('::1', v6.port), allowLoopback)).toMatchObject({ ok: true });
  });

  it('classifies a closed port as refused', async () => {
    const port = await closedPort();
    expect(await probe(tcpCheck('127.0.0.1', port), allowLoopback)).toMatchObject({
      ok: false,
      errorClass: 'refused',
      message: 'connection refused',
      latencyMs: null,
    });
  });

  it('classifies an unknown host as dns', async () => {
    expect(await probe(tcpCheck('nonexistent.invalid', 80, 5_000), allowLoopback)).toMatchObject({
      errorClass: 'dns',
    });
  });

  it('refuses loopback by default, for literals and resolved names', async () => {
    const defaults = withOutbound();
    expect(await probe(tcpCheck('127.0.0.1', v4.port), defaults)).toMatchObject({
      errorClass: 'denied',
      message:
        '127.0.0.1 is in 127.0.0.0/8 (loopback), which checks may not reach by default; an admin can allow it under Settings → Outbound.',
    });
    expect(await probe(tcpCheck('localhost', v4.port), defaults)).toMatchObject({ errorClass: 'denied' });
    expect(await probe(tcpCheck('::1', v6.port), defaults)).toMatchObject({
      errorClass: 'denied',
      message: expect.stringMatching(/^::1 is in ::1\/128 \(loopback\)/),
    });
    expect(await probe(tcpCheck('::ffff:127.0.0.1', v4.port), defaults)).toMatchObject({
      errorClass: 'denied',
    });
  });

  it("refuses Sextant's own ports on loopback even when loopback is allowed, unless named exactly", async () => {
    const protectedPorts = [{ port: v4.port, name: 'embedded Postgres' }];
    const refused = await probe(
      tcpCheck('127.0.0.1', v4.port),
      withOutbound({ allow: ['127.0.0.1'], protectedPorts }),
    );
    expect(refused).toMatchObject({
      errorClass: 'denied',
      message: `127.0.0.1:${v4.port} is Sextant's own embedded Postgres port, which checks may not reach; an admin can allow exactly 127.0.0.1:${v4.port} under Settings → Outbound.`,
    });
    const named = withOutbound({ allow: ['127.0.0.1', `127.0.0.1:${v4.port}`], protectedPorts });
    expect(await probe(tcpCheck('127.0.0.1', v4.port), named)).toMatchObject({ ok: true });
  });

  it('times out when the connection is never accepted', async () => {
    const blackhole = await startBlackhole();
    try {
      // Linux drops connection attempts to a full backlog, which is what makes a connect hang here.
      expect(blackhole.filled).toBe(true);
      const started = performance.now();
      const result = await probe(tcpCheck('127.0.0.1', blackhole.port, 300), allowLoopback);
      expect(result).toMatchObject({ ok: false, errorClass: 'timeout', message: 'timed out after 300 ms' });
      expect(performance.now() - started).toBeLessThan(800);
    } finally {
      await blackhole.close();
    }
  });

  it('rejects an invalid port without throwing', async () => {
    expect(await probe(tcpCheck('127.0.0.1', 70_000), allowLoopback)).toMatchObject({
      errorClass: 'network',
      message: 'invalid port 70000',
    });
  });
});
