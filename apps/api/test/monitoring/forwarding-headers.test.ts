import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TRPCClientError } from '@sextant/trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../src/monitoring/probe';
import { startTestApi, type TestApi } from '../helpers';
import { allowLoopback, httpCheck } from '../probe/checks';

let api: TestApi;
let echo: Server;
let echoUrl: string;
let received: IncomingHttpHeaders | null = null;

beforeAll(async () => {
  api = await startTestApi();
  echo = createServer((req, res) => {
    received = req.headers;
    res.end('ok');
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  echo?.close();
  await api?.close();
});

/** Headers a proxy sets to name the client; the API trusts them from loopback, where the console runs. */
const FORWARDING = {
  'X-Forwarded-For': '203.0.113.77',
  'x-forwarded-host': 'console.example.com',
  Forwarded: 'for=203.0.113.77',
  'X-Real-IP': '203.0.113.77',
  'True-Client-IP': '203.0.113.77',
};

describe('forwarding headers in checks', () => {
  it('are refused when a check is saved, so a check cannot forge the client address the API records', async () => {
    const maintainer = await api.asUser('maintainer');
    const svc = await maintainer.client.services.create.mutate({ name: 'Impersonator' });
    const envId = (await maintainer.client.environments.list.query())[0]!.id;
    // The API calling itself, as the seeded allow entry of its self-check permits.
    const admin = await api.asUser('admin');
    await admin.client.settings.setOutbound.mutate({ deny: [], allow: [new URL(api.baseUrl).host] });
    const url = `${api.baseUrl}/trpc/services.create`;
    for (const [name, value] of Object.entries(FORWARDING)) {
      const err = await maintainer.client.checks.create
        .mutate({
          service: svc.id,
          check: {
            kind: 'http',
            name: `forged ${name}`,
            environmentId: envId,
            config: { method: 'POST', url, headers: { Accept: 'application/json', [name]: value } },
          },
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(err, name).toBeInstanceOf(TRPCClientError);
      expect((err as TRPCClientError<never>).data, name).toMatchObject({ code: 'BAD_REQUEST' });
      const { zodError } = (err as TRPCClientError<never>).data as unknown as {
        zodError: { issues: { path: string; message: string }[] };
      };
      expect(zodError.issues, name).toContainEqual({
        path: `check.config.headers.${name}`,
        message: `${name} is set by proxies to name the client; a check may not send it (the probe is no proxy).`,
      });
    }
    const detail = await maintainer.client.services.get.query({ id: svc.slug });
    expect(detail.checks).toEqual([]);
  });

  it('are never sent by the probe, even from a check saved before they were refused', async () => {
    received = null;
    const result = await probe(
      httpCheck(echoUrl, { headers: { ...FORWARDING, 'X-Tenant': 'kept' } }),
      allowLoopback,
    );
    expect(result).toMatchObject({ ok: true });
    expect(received).not.toBeNull();
    expect(received!['x-tenant']).toBe('kept');
    for (const name of Object.keys(FORWARDING)) expect(received![name.toLowerCase()], name).toBeUndefined();
  });
});
