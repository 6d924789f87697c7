import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { probe } from '../../src/monitoring/probe';
import { allowLoopback, httpCheck, resolveTo } from './checks';
import { type Cert, makeCert, type Running, startHttp, startHttps } from './servers';

let valid: Cert;
let expired: Cert;
let wrongName: Cert;
let servers: Record<'valid' | 'expired' | 'wrongName' | 'plain', Running>;

beforeAll(async () => {
  [valid, expired, wrongName] = await Promise.all([
    makeCert({ names: ['localhost', 'api.sextant.test'] }),
    makeCert({
      notBefore: new Date(Date.now() - 10 * 24 * 3600_000),
      notAfter: new Date(Date.now() - 24 * 3600_000),
    }),
    makeCert({ names: ['elsewhere.test'], ips: [] }),
  ]);
  servers = {
    valid: await startHttps(valid),
    expired: await startHttps(expired),
    wrongName: await startHttps(wrongName),
    plain: await startHttp(),
  };
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()));
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('https probe', () => {
  it('rejects a self-signed certificate as tls, still reporting its expiry', async () => {
    const result = await probe(httpCheck(`https://localhost:${servers.valid.port}/ok`), allowLoopback);
    expect(result).toMatchObject({
      ok: false,
      errorClass: 'tls',
      httpStatus: null,
      message: expect.stringMatching(/self-signed certificate/),
    });
    expect(result.tlsExpiresAt?.toISOString()).toBe(valid.notAfter.toISOString());
  });

  it('passes with a trusted certificate and reads tlsExpiresAt', async () => {
    for (const host of ['localhost', '127.0.0.1']) {
      const result = await probe(
        httpCheck(`https://${host}:${servers.valid.port}/ok`, { ca: valid.cert }),
        allowLoopback,
      );
      expect(result, host).toMatchObject({ ok: true, httpStatus: 200, errorClass: null });
      expect(result.tlsExpiresAt?.toISOString()).toBe(valid.notAfter.toISOString());
    }
  });

  it.each([
    ['an expired certificate', 'expired', 'certificate has expired (CERT_HAS_EXPIRED)', true],
    [
      'a certificate for another name',
      'wrongName',
      'certificate does not match the host name (ERR_TLS_CERT_ALTNAME_INVALID)',
      false,
    ],
  ] as const)('classifies %s as tls, still reporting its expiry', async (_, which, message, past) => {
    const cert = { expired, wrongName }[which];
    const result = await probe(
      httpCheck(`https://localhost:${servers[which].port}/ok`, { ca: cert.cert }),
      allowLoopback,
    );
    expect(result).toMatchObject({ ok: false, errorClass: 'tls', message });
    expect(result.tlsExpiresAt?.toISOString()).toBe(cert.notAfter.toISOString());
    expect(result.tlsExpiresAt!.getTime() < Date.now()).toBe(past);
  });

  it('checks the certificate against the original host name while dialling the vetted address', async () => {
    resolveTo('127.0.0.1');
    const result = await probe(
      httpCheck(`https://api.sextant.test:${servers.valid.port}/ok`, { ca: valid.cert }),
      allowLoopback,
    );
    expect(result).toMatchObject({ ok: true, httpStatus: 200 });
  });

  it('classifies TLS spoken to a plain HTTP server as tls', async () => {
    const result = await probe(httpCheck(`https://127.0.0.1:${servers.plain.port}/ok`), allowLoopback);
    expect(result).toMatchObject({
      ok: false,
      errorClass: 'tls',
      message: expect.stringMatching(/^[\w ]+ \(\w+\)$/),
    });
  });

  it('reports the https hop certificate after a redirect to plain http', async () => {
    const to = `http://127.0.0.1:${servers.plain.port}/ok`;
    const result = await probe(
      httpCheck(`https://localhost:${servers.valid.port}/redirect?to=${encodeURIComponent(to)}`, {
        ca: valid.cert,
      }),
      allowLoopback,
    );
    expect(result).toMatchObject({ ok: true, httpStatus: 200 });
    expect(result.tlsExpiresAt?.toISOString()).toBe(valid.notAfter.toISOString());
  });
});
