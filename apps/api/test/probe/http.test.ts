import { describe, expect, it } from 'vitest';
import { probe } from '../../src/monitoring/probe';
import { allowLoopback, httpCheck, withOutbound } from './checks';
import { closedPort, MiB, startBlackhole, useDualStack } from './servers';

const servers = useDualStack();

describe('http probe: status and latency', () => {
  it('passes a 200 and measures latency', async () => {
    const result = await probe(httpCheck(`${servers.base}/ok`), allowLoopback);
    expect(result).toMatchObject({
      ok: true,
      httpStatus: 200,
      errorClass: null,
      message: null,
      tlsExpiresAt: null,
    });
    expect(result.latencyMs).toBeTypeOf('number');
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.latencyMs).toBeLessThan(2_000);
  });

  it('classifies a 500 as status, keeping status and latency', async () => {
    const result = await probe(httpCheck(`${servers.base}/500`), allowLoopback);
    expect(result).toMatchObject({
      ok: false,
      httpStatus: 500,
      errorClass: 'status',
      message: 'expected status 200-399, got 500',
    });
    expect(result.latencyMs).toBeTypeOf('number');
  });

  it('honours custom status ranges', async () => {
    const result = await probe(
      httpCheck(`${servers.base}/500`, {
        expectedStatus: [
          { from: 200, to: 204 },
          { from: 500, to: 500 },
        ],
      }),
      allowLoopback,
    );
    expect(result.ok).toBe(true);
    const miss = await probe(
      httpCheck(`${servers.base}/ok`, { expectedStatus: [{ from: 204, to: 204 }] }),
      allowLoopback,
    );
    expect(miss).toMatchObject({ errorClass: 'status', message: 'expected status 204, got 200' });
  });

  it('supports HEAD and POST with a body', async () => {
    expect(await probe(httpCheck(`${servers.base}/ok`, { method: 'HEAD' }), allowLoopback)).toMatchObject({
      ok: true,
      httpStatus: 200,
    });
    const post = await probe(
      httpCheck(`${servers.base}/echo`, {
        method: 'POST',
        body: '{"ping":1}',
        headers: { 'content-type': 'application/json', 'x-check': 'yes' },
        keyword: '"body":"{\\"ping\\":1}"',
        jsonPath: { path: '$.headers["x-check"]', equals: 'yes' },
      }),
      allowLoopback,
    );
    expect(post).toMatchObject({ ok: true, httpStatus: 200 });
  });
});

describe('http probe: failures', () => {
  it('times out on a slow server and returns within the timeout plus a small margin', async () => {
    const started = performance.now();
    const result = await probe(httpCheck(`${servers.base}/slow`, { timeoutMs: 300 }), allowLoopback);
    const took = performance.now() - started;
    expect(result).toMatchObject({
      ok: false,
      errorClass: 'timeout',
      message: 'timed out after 300 ms',
      httpStatus: null,
    });
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(800);
  });

  it('times out when the body never finishes', async () => {
    const result = await probe(httpCheck(`${servers.base}/slow-body`, { timeoutMs: 300 }), allowLoopback);
    expect(result).toMatchObject({
      errorClass: 'timeout',
      message: 'timed out after 300 ms',
      httpStatus: 200,
    });
  });

  it('times out when the connection is never accepted', async () => {
    const blackhole = await startBlackhole();
    try {
      // Linux drops connection attempts to a full backlog, which is what makes a connect hang here.
      expect(blackhole.filled).toBe(true);
      const started = performance.now();
      const result = await probe(
        httpCheck(`http://127.0.0.1:${blackhole.port}/`, { timeoutMs: 300 }),
        allowLoopback,
      );
      expect(result).toMatchObject({ errorClass: 'timeout', message: 'timed out after 300 ms' });
      expect(performance.now() - started).toBeLessThan(800);
    } finally {
      await blackhole.close();
    }
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await probe(
      httpCheck(`${servers.base}/slow`, { timeoutMs: 5_000 }),
      allowLoopback,
      controller.signal,
    );
    expect(result).toMatchObject({ ok: false, errorClass: 'network', message: 'probe aborted' });
  });

  it('classifies a closed port as refused', async () => {
    const port = await closedPort();
    const result = await probe(httpCheck(`http://127.0.0.1:${port}/`), allowLoopback);
    expect(result).toMatchObject({
      ok: false,
      errorClass: 'refused',
      message: 'connection refused',
      latencyMs: null,
    });
  });

  it('classifies an unknown host as dns', async () => {
    const result = await probe(httpCheck('http://nonexistent.invalid/', { timeoutMs: 5_000 }), allowLoopback);
    expect(result).toMatchObject({
      ok: false,
      errorClass: 'dns',
      message: 'could not resolve host nonexistent.invalid',
    });
  });

  it('rejects invalid URLs and other schemes without throwing, and never repeats a URL credential', async () => {
    expect(await probe(httpCheck('not a url'), allowLoopback)).toMatchObject({ errorClass: 'network' });
    const withPassword = await probe(httpCheck('http://probe:s3cret@exa mple.test/'), allowLoopback);
    expect(withPassword).toMatchObject({ errorClass: 'network', message: 'invalid URL' });
    expect(await probe(httpCheck('ftp://127.0.0.1/x'), allowLoopback)).toMatchObject({
      errorClass: 'network',
      message: 'unsupported URL scheme ftp:',
    });
  });
});

describe('http probe: keyword and JSON path', () => {
  it('passes when the keyword is present and fails when absent', async () => {
    expect(
      await probe(httpCheck(`${servers.base}/ok`, { keyword: 'systems ok' }), allowLoopback),
    ).toMatchObject({
      ok: true,
    });
    expect(await probe(httpCheck(`${servers.base}/ok`, { keyword: 'ok"' }), allowLoopback)).toMatchObject({
      ok: false,
      httpStatus: 200,
      errorClass: 'assertion',
      message: 'keyword "ok\\"" not found',
    });
  });

  it('compares JSON path values as strings', async () => {
    for (const [path, equals] of [
      ['$.status', 'ok'],
      ['$.version', '3'],
      ['$.checks[0].name', 'db'],
      ["$['checks'][0]['up']", 'true'],
    ] as const) {
      expect(
        await probe(httpCheck(`${servers.base}/json`, { jsonPath: { path, equals } }), allowLoopback),
        path,
      ).toMatchObject({
        ok: true,
      });
    }
  });

  it('reports a JSON path mismatch, a missing path and an unsupported path', async () => {
    const check = (path: string, equals = 'ok') =>
      probe(httpCheck(`${servers.base}/json`, { jsonPath: { path, equals } }), allowLoopback);
    // Says what was wrong, never what the body held.
    expect(await check('$.status', 'degraded')).toMatchObject({
      ok: false,
      errorClass: 'assertion',
      message: 'JSON path $.status does not equal "degraded"',
    });
    expect(await check('$.missing')).toMatchObject({
      errorClass: 'assertion',
      message: 'JSON path $.missing not found',
    });
    expect(await check('$.checks[5].name')).toMatchObject({
      message: 'JSON path $.checks[5].name not found',
    });
    expect(await check('status')).toMatchObject({
      errorClass: 'assertion',
      message: 'invalid JSON path "status"',
    });
  });

  it('fails the JSON path on an invalid JSON body', async () => {
    const result = await probe(
      httpCheck(`${servers.base}/json-invalid`, { jsonPath: { path: '$.status', equals: 'ok' } }),
      allowLoopback,
    );
    expect(result).toMatchObject({
      ok: false,
      httpStatus: 200,
      errorClass: 'assertion',
      message: 'response body is not valid JSON (JSON path $.status)',
    });
  });
});

describe('http probe: body cap', () => {
  it('reads at most maxBodyBytes of a 5 MiB body, quickly, and misses a keyword past the cap', async () => {
    const started = performance.now();
    const result = await probe(
      httpCheck(`${servers.base}/big`, { keyword: 'NEEDLE' }),
      withOutbound({ allow: ['127.0.0.1'] }, MiB),
    );
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result).toMatchObject({
      ok: false,
      httpStatus: 200,
      errorClass: 'assertion',
      message: `keyword "NEEDLE" not found in the first ${MiB} bytes`,
    });
  });

  it('finds the same keyword when the cap is large enough', async () => {
    const result = await probe(
      httpCheck(`${servers.base}/big`, { keyword: 'NEEDLE' }),
      withOutbound({ allow: ['127.0.0.1'] }, 6 * MiB),
    );
    expect(result).toMatchObject({ ok: true });
  });

  it('does not evaluate a JSON path on a truncated body', async () => {
    const result = await probe(
      httpCheck(`${servers.base}/json`, { jsonPath: { path: '$.status', equals: 'ok' } }),
      withOutbound({ allow: ['127.0.0.1'] }, 10),
    );
    expect(result).toMatchObject({
      errorClass: 'assertion',
      message: 'response body exceeds 10 bytes; JSON path $.status not evaluated',
    });
  });

  it('defaults the cap to 1 MiB', async () => {
    const result = await probe(httpCheck(`${servers.base}/big`, { keyword: 'NEEDLE' }), {
      outbound: allowLoopback.outbound,
    });
    expect(result.message).toBe(`keyword "NEEDLE" not found in the first ${MiB} bytes`);
  });
});

describe('http probe: redirects', () => {
  const redirect = (to: string, status = 302) =>
    `${servers.base}/redirect?status=${status}&to=${encodeURIComponent(to)}`;

  it('follows redirects when asked', async () => {
    const result = await probe(httpCheck(redirect('/ok'), { keyword: 'systems ok' }), allowLoopback);
    expect(result).toMatchObject({ ok: true, httpStatus: 200 });
  });

  it('does not follow when followRedirects is false: 302 passes 200-399 but fails 200-299', async () => {
    const inRange = await probe(httpCheck(redirect('/ok'), { followRedirects: false }), allowLoopback);
    expect(inRange).toMatchObject({ ok: true, httpStatus: 302 });
    const outOfRange = await probe(
      httpCheck(redirect('/ok'), { followRedirects: false, expectedStatus: [{ from: 200, to: 299 }] }),
      allowLoopback,
    );
    expect(outOfRange).toMatchObject({
      ok: false,
      httpStatus: 302,
      errorClass: 'status',
      message: 'expected status 200-299, got 302',
    });
  });

  it('gives up on redirect loops', async () => {
    expect(await probe(httpCheck(`${servers.base}/loop`), allowLoopback)).toMatchObject({
      ok: false,
      errorClass: 'network',
      message: 'too many redirects (more than 10)',
    });
  });

  it('turns POST into GET on 303 and keeps it on 307', async () => {
    const post = { method: 'POST' as const, body: 'payload', headers: { 'content-type': 'text/plain' } };
    const see = await probe(
      httpCheck(redirect('/echo', 303), { ...post, jsonPath: { path: '$.method', equals: 'GET' } }),
      allowLoopback,
    );
    expect(see).toMatchObject({ ok: true });
    const temp = await probe(
      httpCheck(redirect('/echo', 307), {
        ...post,
        keyword: '"method":"POST"',
        jsonPath: { path: '$.body', equals: 'payload' },
      }),
      allowLoopback,
    );
    expect(temp).toMatchObject({ ok: true });
  });

  it('drops credentials on a cross-origin redirect but keeps them on the same origin', async () => {
    const headers = { authorization: 'Bearer secret' };
    const sameOrigin = await probe(
      httpCheck(redirect('/echo'), {
        headers,
        jsonPath: { path: '$.headers.authorization', equals: 'Bearer secret' },
      }),
      allowLoopback,
    );
    expect(sameOrigin).toMatchObject({ ok: true });
    const crossOrigin = await probe(
      httpCheck(redirect(`http://localhost:${servers.v4.port}/echo`), {
        headers,
        jsonPath: { path: '$.headers.authorization', equals: 'Bearer secret' },
      }),
      allowLoopback,
    );
    expect(crossOrigin).toMatchObject({ ok: false, message: 'JSON path $.headers.authorization not found' });
  });

  it('refuses a redirect hop into a denied network (IPv4 -> IPv6)', async () => {
    const result = await probe(
      httpCheck(redirect(`http://[::1]:${servers.v6.port}/ok`)),
      withOutbound({ allow: ['127.0.0.1'] }),
    );
    expect(result).toMatchObject({
      ok: false,
      errorClass: 'denied',
      message: expect.stringMatching(
        /^::1 is in ::1\/128 \(loopback\), which checks may not reach by default/,
      ),
    });
  });

  it('refuses a redirect hop into a denied network (IPv6 -> IPv4 by name)', async () => {
    const to = `http://localhost:${servers.v4.port}/ok`;
    const result = await probe(
      httpCheck(`http://[::1]:${servers.v6.port}/redirect?to=${encodeURIComponent(to)}`),
      withOutbound({ allow: ['::1'] }),
    );
    expect(result).toMatchObject({
      errorClass: 'denied',
      message: expect.stringMatching(/^(127\.0\.0\.1|::1) \(resolved from localhost\) is in /),
    });
  });

  it('refuses a redirect to a cloud metadata address even when loopback is allowed', async () => {
    const result = await probe(
      httpCheck(redirect('http://169.254.169.254/latest/meta-data/')),
      allowLoopback,
    );
    expect(result).toMatchObject({
      errorClass: 'denied',
      message: expect.stringContaining('169.254.169.254 is in 169.254.169.254/32 (cloud metadata'),
    });
  });
});
