import type { HttpCheckConfig, ProbeOptions, TcpCheckConfig } from '../../src/monitoring/probe';

export const allowAll: ProbeOptions = { denyNetworks: [], maxBodyBytes: 1024 * 1024 };

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
