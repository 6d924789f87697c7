import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestApi, type TestApi } from './helpers';

let api: TestApi | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await api?.close();
  api = undefined;
});

async function seededAdmin(databaseUrl: string) {
  const sql = postgres(databaseUrl, { max: 1 });
  try {
    const [row] = await sql<{ email: string; must_change_password: boolean }[]>`
      select email, must_change_password from users where role = 'admin'`;
    return row!;
  } finally {
    await sql.end();
  }
}

describe('first run', () => {
  it('prints a generated admin password, also writes it to a 0600 file it names, and forces a change', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
    api = await startTestApi();
    const file = path.join(api.stateDir, 'first-admin-password');
    const password = (await readFile(file, 'utf8')).trim();
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = printed.join('\n');
    expect(text).toContain(`admin@sextant.local  /  ${password}`);
    expect(text).toContain(file);
    expect(await seededAdmin(api.databaseUrl)).toEqual({
      email: 'admin@sextant.local',
      must_change_password: true,
    });
  });

  it('a password from SEXTANT_ADMIN_PASSWORD must be changed too, and is neither printed nor written down', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
    api = await startTestApi({
      SEXTANT_ADMIN_EMAIL: 'ops@test.local',
      SEXTANT_ADMIN_PASSWORD: 'from-the-environment',
    });
    expect(await seededAdmin(api.databaseUrl)).toEqual({
      email: 'ops@test.local',
      must_change_password: true,
    });
    expect(printed.join('\n')).not.toContain('from-the-environment');
    await expect(stat(path.join(api.stateDir, 'first-admin-password'))).rejects.toThrow(/ENOENT/);
  });
});
