import { promises as dnsPromises } from 'node:dns';
import { compileOutbound, type OutboundRules } from '@sextant/trpc';
import { vi } from 'vitest';
import type { HttpCheckConfig, ProbeOptions, TcpCheckConfig } from '../../src/monitoring/probe';

/** Probe options under the built-in outbound rules plus the given admin lists, as the scheduler builds them. */
export function withOutbound(rules: Partial<OutboundRules> = {}, maxBodyBytes = 1024 * 1024): ProbeOptions {
  return { outbound: compileOutbound({ deny: [], allow: [], ...rules }), maxBodyBytes };
}

/** Loopback is refused by default; tests reach their local servers through an explicit allow entry. */
export const allowLoopback: ProbeOptions = withOutbound({ allow: ['127.0.0.1', '::1'] });

export function httpCheck(url: string, overrides: Partial<HttpCheckConfig> = {}): HttpCheckConfig {
  return {
    kind: 'http',
    method: 'GET',
    url,
    headers: {},
    body: null,
    expectedStatus: [{ from: 200, to: 399 }],
    keyword: null,
    jsonPath: null,
    timeoutMs: 2_000,
    followRedirects: true,
    ...overrides,
  };
}

export function tcpCheck(host: string, port: number, timeoutMs = 2_000): TcpCheckConfig {
  return { kind: 'tcp', host, port, timeoutMs };
}

/** Makes every DNS lookup answer these IPv4 addresses, as a rebinding name would (undo with `vi.restoreAllMocks`). */
export function resolveTo(...addresses: string[]) {
  const lookup = vi.spyOn(dnsPromises, 'lookup') as unknown as { mockResolvedValue(v: unknown): void };
  lookup.mockResolvedValue(addresses.map((address) => ({ address, family: 4 })));
}
