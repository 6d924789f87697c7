import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, ownPorts, seriesLimits } from '../src/config';

describe('loadConfig', () => {
  it('applies documented defaults', () => {
    const c = loadConfig({});
    expect(c.API_HOST).toBe('127.0.0.1');
    expect(c.API_PORT).toBe(4000);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.DB_POOL_MAX).toBe(10);
    expect(c.SEXTANT_SEED).toBe(true);
    expect(c.pgDataDir.endsWith('/.sextant/pg')).toBe(true);
  });

  it('coerces numbers and booleans from strings', () => {
    const c = loadConfig({ API_PORT: '4100', SEXTANT_SEED: 'false', DB_STATEMENT_TIMEOUT_MS: '0' });
    expect(c.API_PORT).toBe(4100);
    expect(c.SEXTANT_SEED).toBe(false);
    expect(c.DB_STATEMENT_TIMEOUT_MS).toBe(0);
  });

  it('takes SEXTANT_SECRET_KEY as 32 bytes of base64 or base64url, and refuses anything else', () => {
    const key = Buffer.alloc(32, 7);
    for (const text of [key.toString('base64'), key.toString('base64url')])
      expect(loadConfig({ SEXTANT_SECRET_KEY: text }).SEXTANT_SECRET_KEY).toBe(text);
    for (const bad of ['short', Buffer.alloc(16).toString('base64'), `${key.toString('base64')}!`])
      expect(() => loadConfig({ SEXTANT_SECRET_KEY: bad }), bad).toThrow(
        /SEXTANT_SECRET_KEY must be 32 bytes/,
      );
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('rejects bad values with one line naming every bad variable', () => {
    let error: unknown;
    try {
      loadConfig({ API_PORT: 'abc', DATABASE_URL: 'mysql://x', DB_POOL_MAX: '0' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/API_PORT/);
    expect(message).toMatch(/DATABASE_URL must be a postgres/);
    expect(message).toMatch(/DB_POOL_MAX/);
  });
});

describe('series limits', () => {
  it('default to 20,000 per metric and 100,000 per service, and refuse non-positive or fractional values', () => {
    expect(seriesLimits(loadConfig({}))).toEqual({ perMetric: 20_000, perService: 100_000 });
    expect(
      seriesLimits(
        loadConfig({ METRICS_MAX_SERIES_PER_METRIC: '500', METRICS_MAX_SERIES_PER_SERVICE: '900' }),
      ),
    ).toEqual({ perMetric: 500, perService: 900 });
    for (const bad of ['0', '-1', '1.5', 'many']) {
      expect(() => loadConfig({ METRICS_MAX_SERIES_PER_METRIC: bad }), bad).toThrow(
        /METRICS_MAX_SERIES_PER_METRIC/,
      );
      expect(() => loadConfig({ METRICS_MAX_SERIES_PER_SERVICE: bad }), bad).toThrow(
        /METRICS_MAX_SERIES_PER_SERVICE/,
      );
    }
  });
});

describe('ownPorts', () => {
  const ports = (env: Record<string, string>, apiPort = 4000) =>
    ownPorts(loadConfig(env), apiPort).map((p) => `${p.name}:${p.port}`);

  it("names the API's bound port, the console's and the embedded Postgres", () => {
    expect(ports({ WEB_PORT: '3100', SEXTANT_PG_PORT: '54400' }, 41234)).toEqual([
      'API:41234',
      'console:3100',
      'embedded Postgres:54400',
    ]);
  });

  it("names an external Postgres' port only when it runs on this machine", () => {
    expect(ports({ DATABASE_URL: 'postgres://u:p@localhost:6543/db' })).toContain('Postgres:6543');
    expect(ports({ DATABASE_URL: 'postgres://u:p@127.0.0.1/db' })).toContain('Postgres:5432');
    expect(ports({ DATABASE_URL: 'postgres://u:p@[::1]:6544/db' })).toContain('Postgres:6544');
    // The outbound policy's reading of "this machine": an IPv4-mapped loopback is local too.
    expect(ports({ DATABASE_URL: 'postgres://u:p@[::ffff:127.0.0.1]:6545/db' })).toContain('Postgres:6545');
    expect(ports({ DATABASE_URL: 'postgres://u:p@db.internal:5432/db' })).toEqual([
      'API:4000',
      'console:3000',
    ]);
  });

  it('reads API_TRUST_PROXY as true, false or a list of addresses, CIDR ranges and named ranges', () => {
    expect(loadConfig({}).API_TRUST_PROXY).toEqual(['loopback']);
    expect(loadConfig({ API_TRUST_PROXY: 'true' }).API_TRUST_PROXY).toBe(true);
    expect(loadConfig({ API_TRUST_PROXY: 'false' }).API_TRUST_PROXY).toBe(false);
    expect(
      loadConfig({ API_TRUST_PROXY: ' 10.0.0.0/8, 192.168.1.7 ,fd00::/8,::1,loopback' }).API_TRUST_PROXY,
    ).toEqual(['10.0.0.0/8', '192.168.1.7', 'fd00::/8', '::1', 'loopback']);
  });

  it.each(['yes', 'loopbak', '10.0.0.300', '10.0.0.0/40', '10.0.0.1,', '2.5', '-1', 'proxy.internal'])(
    'refuses API_TRUST_PROXY=%s at start-up, naming the variable',
    (value) => {
      expect(() => loadConfig({ API_TRUST_PROXY: value })).toThrow(ConfigError);
      expect(() => loadConfig({ API_TRUST_PROXY: value })).toThrow(
        /API_TRUST_PROXY must be true, false, or comma/,
      );
    },
  );

  it('refuses a hop count (which Fastify would read as trust no one, and 2 was read as the address 0.0.0.2)', () => {
    expect(() => loadConfig({ API_TRUST_PROXY: '2' })).toThrow(
      /API_TRUST_PROXY must list the proxies \(a hop count/,
    );
  });
});
