import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CheckConfig, type ErrorClass, probe } from '../../src/monitoring/probe';
import { allowLoopback, httpCheck, tcpCheck } from './checks';
import {
  type Cert,
  closedPort,
  makeCert,
  type Running,
  startBlackhole,
  startHttp,
  startHttps,
  startTcp,
} from './servers';

let web: Running;
let secure: Running;
let tcp: Running;
let blackhole: Running & { filled: boolean };
let cert: Cert;
let refusedPort: number;

beforeAll(async () => {
  cert = await makeCert({});
  web = await startHttp();
  secure = await startHttps(cert);
  tcp = await startTcp();
  blackhole = await startBlackhole();
  refusedPort = await closedPort();
});
afterAll(async () => {
  await Promise.all([web.close(), secure.close(), tcp.close(), blackhole.close()]);
});

function resourceCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

it('leaves no sockets or timers behind after 200 probes of every outcome', async () => {
  const http = `http://127.0.0.1:${web.port}`;
  const https = `https://localhost:${secure.port}`;
  // Long timeouts on the other checks, so a deadline timer left behind would still be pending below.
  const long = { timeoutMs: 10_000 };
  const mix: Array<[CheckConfig, ErrorClass | null]> = [
    [httpCheck(`${http}/ok`, { ...long, keyword: 'ok' }), null],
    [httpCheck(`${http}/500`, long), 'status'],
    [
      httpCheck(`${http}/redirect?to=%2Fjson`, { ...long, jsonPath: { path: '$.status', equals: 'ok' } }),
      null,
    ],
    [httpCheck(`${http}/big`, { ...long, keyword: 'NEEDLE' }), 'assertion'],
    [httpCheck(`${http}/slow`, { timeoutMs: 100 }), 'timeout'],
    [httpCheck(`${http}/slow-body`, { timeoutMs: 100 }), 'timeout'],
    [httpCheck(`http://127.0.0.1:${refusedPort}/`, long), 'refused'],
    [httpCheck(`${https}/ok`, { ...long, ca: cert.cert }), null],
    [httpCheck(`${https}/ok`, long), 'tls'],
    [tcpCheck('127.0.0.1', tcp.port, 10_000), null],
  ];
  if (blackhole.filled) {
    // Deadline hits while still connecting.
    mix.push([httpCheck(`http://127.0.0.1:${blackhole.port}/`, { timeoutMs: 100 }), 'timeout']);
    mix.push([tcpCheck('127.0.0.1', blackhole.port, 100), 'timeout']);
  }
  await sleep(100); // let the fixtures' own closes settle before the baseline
  const baseline = resourceCounts();
  for (let batch = 0; batch < 10; batch++) {
    const picks = Array.from({ length: 20 }, (_, i) => mix[(batch * 20 + i) % mix.length]!);
    const results = await Promise.all(picks.map(([config]) => probe(config, allowLoopback)));
    expect(results.map((r) => r.errorClass)).toEqual(picks.map(([, expected]) => expected));
  }
  // Server-side sockets in this same process close a moment after the client's; allow them to settle.
  const excess = () =>
    Object.entries(resourceCounts()).filter(([name, count]) => count > (baseline[name] ?? 0));
  for (let i = 0; i < 20 && excess().length > 0; i++) await sleep(50);
  expect(excess()).toEqual([]);
});
