import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type postgres from 'postgres';
import type { Cleanup } from './cleanup';
import { freePort, spawnServer, waitForHttp } from './process';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../apps/web');
/** One secret for the console and the API, so the API reads the console's session cookie. */
export const BENCH_AUTH_SECRET = 'bench-secret-bench-secret-bench-secret-0123';

/** The built console (what `pnpm start` runs) on a free port, talking to the bench's API; ready when `readyPath` answers. */
export async function startConsole(
  cleanup: Cleanup,
  o: { apiBase: string; databaseUrl: string; readyPath: string },
) {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WEB_HOST: '127.0.0.1',
    WEB_PORT: String(port),
    API_URL: o.apiBase,
    DATABASE_URL: o.databaseUrl,
    AUTH_SECRET: BENCH_AUTH_SECRET,
  };
  const web = spawnServer(cleanup, 'console', process.execPath, [path.join(WEB, 'scripts/start.mjs')], env);
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(web, `${base}${o.readyPath}`, 120_000);
  return { base, stop: web.stop };
}

/** A signed-in session of a new user of `role`, through the console's own credentials sign-in; the Cookie header. */
export async function consoleSession(
  sql: postgres.Sql,
  base: string,
  role: 'viewer' | 'maintainer' | 'admin',
) {
  const { hashPassword } = await import('@sextant/db');
  const email = `bench-${role}-${Date.now()}@bench.local`;
  const password = 'bench-console-password';
  await sql`insert into users (id, email, role, password_hash)
    values (gen_random_uuid()::text, ${email}, ${role}, ${await hashPassword(password)})`;
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair!.indexOf('=');
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const csrf = await fetch(`${base}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-auth-return-redirect': '1',
      origin: base,
      cookie: cookie(),
    },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${base}/` }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes('session-token')))
    throw new Error(`console sign-in failed: ${res.status} ${await res.text()}`);
  return cookie();
}
