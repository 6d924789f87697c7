import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config';
import { logFormat } from '../src/logger';
import { startTestApi, type TestApi } from './helpers';

const DEBUG = 20;
const INFO = 30;
const logs: Record<string, unknown>[] = [];
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ LOG_LEVEL: 'debug', API_RATE_LIMIT_PER_MIN: '0' }, { logs });
});
afterAll(async () => {
  await api?.close();
});

/** The log lines of requests to `path` made by `run`. */
async function linesOf(path: string, run: () => Promise<unknown>) {
  const from = logs.length;
  await run();
  const lines = () =>
    logs.slice(from).filter((l) => (l.req as { url?: string } | undefined)?.url?.startsWith(path));
  // The completion line (the one with `res`) is written after the answer has been sent.
  await vi.waitFor(() => expect(lines().some((l) => l.res)).toBe(true));
  return lines();
}

describe('request log', () => {
  it('says each request once at info: method, URL, status and time, with the request', async () => {
    const lines = await linesOf('/trpc/system.info', () => fetch(`${api.baseUrl}/trpc/system.info`));
    const info = lines.filter((l) => l.level === INFO);
    expect(info).toHaveLength(1);
    expect(info[0]!.msg).toMatch(/^GET \/trpc\/system\.info 200 [\d.]+ ms$/);
    expect(info[0]!.res).toEqual({ statusCode: 200 });
    // The arrival line is still there for debugging, below info.
    expect(lines.filter((l) => l.msg === 'incoming request').map((l) => l.level)).toEqual([DEBUG]);
  });

  it('logs health probes and Prometheus (the self-scrape included) at debug only', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const lines = await linesOf(path, async () =>
        expect((await fetch(`${api.baseUrl}${path}`)).status).toBe(200),
      );
      // Logged (so this cannot pass by logging nothing), but never at info.
      expect(lines.length, path).toBe(2);
      expect(
        lines.map((l) => l.level),
        path,
      ).toEqual([DEBUG, DEBUG]);
    }
  });
});

describe('LOG_FORMAT', () => {
  it('is readable on a terminal and JSON for files and pipes, unless set', () => {
    const auto = loadConfig({}).LOG_FORMAT;
    expect(auto).toBe('auto');
    expect(logFormat(auto, true)).toBe('pretty');
    expect(logFormat(auto, false)).toBe('json');
    expect(logFormat(loadConfig({ LOG_FORMAT: 'json' }).LOG_FORMAT, true)).toBe('json');
    expect(logFormat(loadConfig({ LOG_FORMAT: 'pretty' }).LOG_FORMAT, false)).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'yaml' })).toThrow(/LOG_FORMAT/);
  });
});
