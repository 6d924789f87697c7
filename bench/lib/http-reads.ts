import type postgres from 'postgres';

/** A tRPC query as the console sends it over GET (superjson's `{ json }` envelope). */
export function trpcGetUrl(base: string, path: string, input: unknown): string {
  return `${base}/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
}

/**
 * p50/p95 of `samples` sequential GETs on one keep-alive connection, after `warmup` dropped ones; fails on non-2xx.
 * `auth` is an API key, or the headers to send (a console session's cookie).
 */
export async function timeGet(
  url: string,
  auth: string | Record<string, string> | null,
  samples: number,
  warmup = 5,
) {
  const headers: Record<string, string> =
    typeof auth === 'string' ? { authorization: `Bearer ${auth}` } : (auth ?? {});
  for (let i = 0; i < warmup; i++) {
    const res = await fetch(url, { headers });
    if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  }
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95) };
}

/** An API key of `role`, owned by a new user of that role (a key needs an owner whose role covers it). */
export async function benchApiKey(sql: postgres.Sql, role: 'viewer' | 'maintainer' | 'admin') {
  const { generateApiKey } = await import('@sextant/db');
  const { key, prefix, keyHash } = generateApiKey();
  await sql`with owner as (insert into users (id, email, role) values (gen_random_uuid()::text, ${`bench-${prefix}@bench.local`}, ${role}) returning id)
    insert into api_keys (name, prefix, key_hash, role, created_by) select 'bench', ${prefix}, ${keyHash}, ${role}, id from owner`;
  return key;
}
