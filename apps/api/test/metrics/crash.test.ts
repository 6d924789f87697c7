import { generateApiKey } from '@sextant/db';
import { createTestDatabase } from '@sextant/db/testing';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { spawnApi } from '../process';

let sql: postgres.Sql | undefined;
afterAll(async () => {
  await sql?.end();
});

describe('kill -9 mid-ingest', () => {
  it('keeps every batch that got a 2xx', async () => {
    const databaseUrl = await createTestDatabase(inject('adminUrl'));
    sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
    const api = spawnApi({ DATABASE_URL: databaseUrl, SEXTANT_SCHEDULER: 'false' });
    const base = await api.baseUrl;
    const { key, prefix, keyHash } = generateApiKey();
    // Keys need an owner whose role covers theirs.
    await sql`with owner as (insert into users (id, email, role) values (gen_random_uuid()::text, 'crash@test.local', 'maintainer') returning id)
      insert into api_keys (name, prefix, key_hash, role, created_by) select 'crash', ${prefix}, ${keyHash}, 'maintainer', id from owner`;

    const acknowledged: number[] = [];
    let stop = false;
    const pusher = (async () => {
      for (let batch = 0; !stop; batch++) {
        const points = Array.from({ length: 500 }, (_, i) => ({
          name: 'crash_test',
          labels: { batch: String(batch) },
          ts: Date.now() - i,
          value: i,
        }));
        try {
          const res = await fetch(`${base}/v1/metrics`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify({ points }),
          });
          if (res.status === 202) acknowledged.push(batch);
        } catch {
          return; // the server is gone
        }
      }
    })();

    await new Promise((r) => setTimeout(r, 1_500));
    api.child.kill('SIGKILL');
    await api.exited;
    stop = true;
    await pusher;

    expect(acknowledged.length).toBeGreaterThan(5);
    const rows = await sql<{ batch: string; n: number }[]>`
      select s.labels->>'batch' as batch, count(*)::int as n from metric_points p
      join metric_series s on s.id = p.series_id where s.name = 'crash_test' group by 1`;
    const stored = new Map(rows.map((r) => [Number(r.batch), r.n]));
    for (const batch of acknowledged) expect(stored.get(batch), `batch ${batch}`).toBe(500);
    // Nothing half-written either: any batch present is complete.
    for (const n of stored.values()) expect(n).toBe(500);
  }, 60_000);
});
