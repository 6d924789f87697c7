import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../src/monitoring/probe';
import { allowAll, tcpCheck } from './checks';
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
      const result = await probe(tcpCheck(host, v4.port), allowAll);
      expect(result, host).toMatchObject({
        ok: true,
        errorClass: null,
        message: null,
        httpStatus: null,
        tlsExpiresAt: null,
      });
      expect(result.latencyMs).toBeTypeOf('number');
    }
    expect(await probe(tcpCheck('::1', v6.port), allowAll)).toMatchObject({ ok: true });
  });

  it('classifies a closed port as refused', async () => {
    const port = await closedPort();
    expect(await probe(tcpCheck('127.0.0.1', port), allowAll)).toMatchObject({
      ok: false,
      errorClass: 'refused',
      message: 'connection refused',
      latencyMs: null,
    });
  });

  it('classifies an unknown host as dns', async () => {
    expect(await probe(tcpCheck('nonexistent.invalid', 80, 5_000), allowAll)).toMatchObject({
      errorClass: 'dns',
    });
  });

  it('applies the deny list to literals and resolved names', async () => {
    const deny = { denyNetworks: ['127.0.0.0/8', '::1/128'] };
    expect(await probe(tcpCheck('127.0.0.1', v4.port), deny)).toMatchObject({
      errorClass: 'denied',
      message: 'address 127.0.0.1 is in denied network 127.0.0.0/8',
    });
    expect(await probe(tcpCheck('localhost', v4.port), deny)).toMatchObject({ errorClass: 'denied' });
    expect(await probe(tcpCheck('::1', v6.port), deny)).toMatchObject({
      errorClass: 'denied',
      message: 'address ::1 is in denied network ::1/128',
    });
    expect(await probe(tcpCheck('::ffff:127.0.0.1', v4.port), deny)).toMatchObject({ errorClass: 'denied' });
  });

  it('times out when the connection is never accepted', async () => {
    const blackhole = await startBlackhole();
    try {
      // Linux drops connection attempts to a full backlog, which is what makes a connect hang here.
      expect(blackhole.filled).toBe(true);
      const started = performance.now();
      const result = await probe(tcpCheck('127.0.0.1', blackhole.port, 300), allowAll);
      expect(result).toMatchObject({ ok: false, errorClass: 'timeout', message: 'timed out after 300 ms' });
      expect(performance.now() - started).toBeLessThan(800);
    } finally {
      await blackhole.close();
    }
  });

  it('rejects an invalid port without throwing', async () => {
    expect(await probe(tcpCheck('127.0.0.1', 70_000), allowAll)).toMatchObject({
      errorClass: 'network',
      message: 'invalid port 70000',
    });
  });
});
