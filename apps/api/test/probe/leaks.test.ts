import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CheckConfig, probe } from '../../src/monitoring/probe';
import { allowAll, httpCheck, tcpCheck } from './checks';
import { type Cert, closedPort, makeCert, type Running, startHttp, startHttps, startTcp } from './servers';

let web: Running;
let secure: Running;
let tcp: Running;
let cert: Cert;
let refusedPort: number;

beforeAll(async () => {
  cert = await makeCert({});
  web = await startHttp();
  secure = await startHttps(cert);
  tcp = await startTcp();
  refusedPort = await closedPort();
});
afterAll(async () => {
  await Promise.all([web.close(), secure.close(), tcp.close()]);
});

function resourceCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

it('leaves no sockets or timers behind after 200 probes of every outcome', async () => {
  const http = `http://127.0.0.1:${web.port}`;
  const https = `https://localhost:${secure.port}`;
  // Long timeouts on the passing checks, so a deadline timer left behind would still be pending below.
  const long = { timeoutMs: 10_000 };
  const mix: CheckConfig[] = [
    httpCheck(`${http}/ok`, { ...long, keyword: 'ok' }),
    httpCheck(`${http}/500`, long),
    httpCheck(`${http}/redirect?to=%2Fjson`, { ...long, jsonPath: { path: '$.status', equals: 'ok' } }),
    httpCheck(`${http}/big`, { ...long, keyword: 'NEEDLE' }),
    httpCheck(`${http}/slow`, { timeoutMs: 100 }),
    httpCheck(`${http}/slow-body`, { timeoutMs: 100 }),
    httpCheck(`http://127.0.0.1:${refusedPort}/`, long),
    httpCheck(`${https}/ok`, { ...long, ca: cert.cert }),
    httpCheck(`${https}/ok`, long),
    tcpCheck('127.0.0.1', tcp.port, 10_000),
  ];
  await sleep(100); // let the fixtures' own closes settle before the baseline
  const baseline = resourceCounts();
  const outcomes = new Map<string, number>();
  for (let batch = 0; batch < 10; batch++) {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => probe(mix[i % mix.length] as CheckConfig, allowAll)),
    );
    for (const r of results)
      outcomes.set(String(r.errorClass), (outcomes.get(String(r.errorClass)) ?? 0) + 1);
  }
  expect(Object.fromEntries(outcomes)).toEqual({
    null: 80,
    status: 20,
    assertion: 20,
    timeout: 40,
    refused: 20,
    tls: 20,
  });
  // Server-side sockets in this same process close a moment after the client's; allow them to settle.
  const excess = () =>
    Object.entries(resourceCounts()).filter(([name, count]) => count > (baseline[name] ?? 0));
  for (let i = 0; i < 20 && excess().length > 0; i++) await sleep(50);
  expect(excess()).toEqual([]);
});
