import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, ownPorts } from '../src/config';

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
});
