import { afterEach, describe, expect, it, vi } from 'vitest';
import { probe } from '../../src/monitoring/probe';
import { allowLoopback, httpCheck, resolveTo, withOutbound } from './checks';
import { useDualStack } from './servers';

const servers = useDualStack();
afterEach(() => {
  vi.restoreAllMocks();
});

describe('http probe: outbound policy', () => {
  const defaults = withOutbound();

  it('refuses an IPv4 loopback literal by default, saying how an admin allows it', async () => {
    expect(await probe(httpCheck(`${servers.base}/ok`), defaults)).toMatchObject({
      ok: false,
      errorClass: 'denied',
      message:
        '127.0.0.1 is in 127.0.0.0/8 (loopback), which checks may not reach by default; an admin can allow it under Settings → Outbound.',
      latencyMs: null,
    });
  });

  it('refuses a host name whose resolved address is denied', async () => {
    expect(await probe(httpCheck(`http://localhost:${servers.v4.port}/ok`), defaults)).toMatchObject({
      errorClass: 'denied',
      message: expect.stringMatching(/^(127\.0\.0\.1|::1) \(resolved from localhost\) is in /),
    });
  });

  it('allows IPv6 loopback only with its own entry', async () => {
    const url = `http://[::1]:${servers.v6.port}/ok`;
    expect(await probe(httpCheck(url), withOutbound({ allow: ['127.0.0.1'] }))).toMatchObject({
      errorClass: 'denied',
    });
    expect(await probe(httpCheck(url), withOutbound({ allow: ['::1'] }))).toMatchObject({ ok: true });
  });

  it('sees through IPv4-mapped, IPv4-compatible, NAT64 and numeric host spellings', async () => {
    for (const host of [
      `[::ffff:127.0.0.1]`,
      '[::127.0.0.1]',
      '[64:ff9b::7f00:1]',
      '[64:ff9b::a9fe:a9fe]',
      '2130706433',
      '0x7f.1',
    ]) {
      expect(await probe(httpCheck(`http://${host}:${servers.v4.port}/ok`), defaults), host).toMatchObject({
        errorClass: 'denied',
      });
    }
  });

  it('applies the admin deny list on top, and an allow entry reaches the local server', async () => {
    expect(
      await probe(
        httpCheck(`${servers.base}/ok`),
        withOutbound({ deny: ['10.0.0.0/8'], allow: ['127.0.0.1'] }),
      ),
    ).toMatchObject({ ok: true });
    expect(
      await probe(
        httpCheck(`${servers.base}/ok`),
        withOutbound({ deny: ['127.0.0.1'], allow: ['127.0.0.0/8'] }),
      ),
    ).toMatchObject({ errorClass: 'denied', message: expect.stringContaining('which an admin denied') });
  });

  it('fails closed on an unreadable rule', async () => {
    expect(
      await probe(
        httpCheck(`${servers.base}/ok`),
        withOutbound({ deny: ['127.0.0.0/33'], allow: ['127.0.0.1'] }),
      ),
    ).toMatchObject({
      ok: false,
      errorClass: 'denied',
      message: 'invalid outbound rule: "127.0.0.0/33" is not an IPv4 or IPv6 address or CIDR',
    });
  });

  it('connects to the vetted address (no second lookup) and keeps the original Host header', async () => {
    resolveTo('127.0.0.1');
    const result = await probe(
      httpCheck(`http://rebind.test:${servers.v4.port}/echo`, {
        jsonPath: { path: '$.headers.host', equals: `rebind.test:${servers.v4.port}` },
      }),
      allowLoopback,
    );
    expect(result).toMatchObject({ ok: true });
  });

  it('refuses when any one of several resolved addresses is denied', async () => {
    resolveTo('127.0.0.1', '169.254.169.254');
    const result = await probe(httpCheck(`http://two.test:${servers.v4.port}/ok`), allowLoopback);
    expect(result).toMatchObject({ errorClass: 'denied' });
  });
});
