import { createTestDatabase } from '@sextant/db/testing';
import { TRPCClientError } from '@sextant/trpc/client';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApi, type TestApi } from './helpers';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

describe('plain HTTP edges', () => {
  it('GET /healthz answers 200 while the process lives', async () => {
    const res = await fetch(`${api.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 with the migration level once migrated', async () => {
    const res = await fetch(`${api.baseUrl}/readyz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; migrations: string };
    expect(body.status).toBe('ready');
    expect(body.migrations).toMatch(/^\d{4}_\w+$/);
  });

  it('GET /metrics serves Prometheus text with request, process and pool metrics', async () => {
    await api.client.system.info.query();
    const res = await fetch(`${api.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(
      /sextant_http_requests_total\{procedure="system\.info",method="GET",status="200"\} [1-9]/,
    );
    expect(text).toMatch(
      /sextant_http_request_duration_seconds_bucket\{le="0\.005",procedure="system\.info"/,
    );
    expect(text).toContain('sextant_nodejs_eventloop_lag_p99_seconds');
    expect(text).toContain('sextant_process_resident_memory_bytes');
    expect(text).toMatch(/sextant_db_pool_connections\{state="idle"\} \d+/);
    expect(text).toMatch(/sextant_db_pool_connections\{state="in_use"\} \d+/);
    expect(text).toContain('sextant_db_up 1');
    // /metrics is unauthenticated, like every Prometheus endpoint: it must not name the runtime's version either.
    expect(text).not.toContain(process.version);
  });

  it('GET /metrics counts the check runs and scrapes this instance reports', async () => {
    api.app.sextantMetrics.observeCheckRun(true, 0.04);
    api.app.sextantMetrics.observeCheckRun(false, 0.2);
    api.app.sextantMetrics.observeScrape(false, 0.3);
    const text = await (await fetch(`${api.baseUrl}/metrics`)).text();
    expect(text).toContain('sextant_check_runs_total{result="ok"} 1');
    expect(text).toContain('sextant_check_runs_total{result="failed"} 1');
    expect(text).toContain('sextant_check_lag_seconds_bucket{le="0.05"} 1');
    expect(text).toContain('sextant_target_scrapes_total{result="failed"} 1');
    expect(text).toContain('sextant_target_scrape_seconds_count 1');
  });

  it('echoes a sane x-request-id and generates one otherwise', async () => {
    const given = await fetch(`${api.baseUrl}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const bogus = await fetch(`${api.baseUrl}/healthz`, {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(bogus.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers on API responses: health, tRPC, and unknown routes alike', async () => {
    for (const path of ['/healthz', '/trpc/system.info', '/no-such-route']) {
      const res = await fetch(`${api.baseUrl}${path}`);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), path).toContain("default-src 'self'");
      expect(res.headers.get('strict-transport-security'), path).toMatch(/max-age=\d+/);
      expect(res.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
      expect(res.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
      expect(res.headers.get('x-powered-by'), path).toBeNull();
    }
  });

  it('refuses a body over the limit with 413 and a JSON error', async () => {
    const limited = await startTestApi({ API_BODY_LIMIT_BYTES: '2048' });
    try {
      const res = await fetch(`${limited.baseUrl}/trpc/system.info`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pad: 'x'.repeat(4096) }),
      });
      expect(res.status).toBe(413);
    } finally {
      await limited.close();
    }
  });
});

describe('system router over tRPC', () => {
  it('system.info reports version, uptime, database and migration level', async () => {
    const info = await api.client.system.info.query();
    expect(info.name).toBe('Sextant');
    expect(info.version).toBe('test');
    expect(info.startedAt).toBeInstanceOf(Date);
    expect(info.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(info.db.status).toBe('up');
    expect(info.migrations?.current).toBe(true);
    expect(info.migrations?.applied).toBe(info.migrations?.expected);
    // Nothing that helps an anonymous caller pick an exploit for the runtime.
    const raw = await (await fetch(`${api.baseUrl}/trpc/system.info`)).text();
    expect(raw).not.toContain(process.version);
    expect(info).not.toHaveProperty('node');
  });

  it('environments.list returns the seeded environments in order', async () => {
    const { client } = await api.asUser('viewer');
    const envs = await client.environments.list.query();
    expect(envs.map((e) => e.name)).toEqual(['DEV', 'FAT', 'UAT', 'PRO']);
    expect(envs.filter((e) => e.isProduction).map((e) => e.name)).toEqual(['PRO']);
  });

  it('unknown procedures fail with NOT_FOUND and no stack trace', async () => {
    const res = await fetch(`${api.baseUrl}/trpc/system.nope`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { json: { data: { code: string; appCode: string } } } };
    expect(body.error.json.data.code).toBe('NOT_FOUND');
    expect(body.error.json.data.appCode).toBe('NOT_FOUND');
    expect(JSON.stringify(body)).not.toContain('stack');
  });

  it("requests tRPC itself refuses carry a client error's appCode, not INTERNAL", async () => {
    const cases: [RequestInit, number, string][] = [
      [
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
        405,
        'METHOD_NOT_SUPPORTED',
      ],
      [
        { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
    ];
    for (const [init, status, appCode] of cases) {
      const res = await fetch(`${api.baseUrl}/trpc/system.info`, init);
      expect(res.status).toBe(status);
      const body = (await res.json()) as { error: { json: { data: { appCode: string } } } };
      expect(body.error.json.data.appCode).toBe(appCode);
    }
  });

  it('refuses a credential in the URL, however the query spells or repeats it', async () => {
    const key = `sxt_${'A'.repeat(43)}`;
    for (const query of [
      'api_key=x',
      'input=%7B%7D&token=x',
      `input=${key}`,
      `input=%7B%7D&input=${key}`,
      'KEY=x',
    ]) {
      const res = await fetch(`${api.baseUrl}/trpc/system.info?${query}`);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { json: { message: string; data: { appCode: string } } } };
      expect(body.error.json.data.appCode, query).toBe('VALIDATION_FAILED');
      expect(body.error.json.message, query).toMatch(/only in the Authorization header/);
    }
    expect((await fetch(`${api.baseUrl}/trpc/system.info?input=%7B%7D`)).status).not.toBe(400);
  });

  it('surfaces typed errors through the client', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: deliberately calling a procedure the type does not have
    const err = await (api.client as any).system.missing.query().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCClientError);
    expect(err.data.appCode).toBe('NOT_FOUND');
  });
});

describe('read replica', () => {
  it('sends read-only queries to DATABASE_REPLICA_URL when set', async () => {
    // The "replica" is a separate migrated but unseeded database, so where a read went is visible.
    const replicaUrl = await createTestDatabase(inject('adminUrl'));
    const withReplica = await startTestApi({ DATABASE_REPLICA_URL: replicaUrl });
    try {
      // The session check itself always reads the primary; only the procedure's own read goes to the replica.
      const { client } = await withReplica.asUser('viewer');
      expect(await client.environments.list.query()).toEqual([]);
      const primary = postgres(withReplica.databaseUrl, { max: 1 });
      try {
        const [row] = await primary<{ n: number }[]>`select count(*)::int as n from environments`;
        expect(row!.n).toBe(4);
      } finally {
        await primary.end();
      }
    } finally {
      await withReplica.close();
    }
  });
});
