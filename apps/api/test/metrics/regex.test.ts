import { generateApiKey } from '@sextant/db';
import { createTestDatabase } from '@sextant/db/testing';
import { createClient, TRPCClientError } from '@sextant/trpc/client';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ApiProcess, spawnApi } from '../process';

// The API runs as its own process: a backtracking regex would freeze its event loop, not this test's,
// so the test's timeout is the failure signal.
let api: ApiProcess;
let sql: postgres.Sql;
let baseUrl: string;
let client: ReturnType<typeof createClient>;

const SERIES = 50;
// JavaScript's backtracking engine needs 8^40 steps to reject `(.|.|.|.|.|.|.|.)*Z` on such a value.
const value = (i: number) => `${'a'.repeat(40)}${i}`;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase(inject('adminUrl'));
  api = spawnApi({ DATABASE_URL: databaseUrl });
  baseUrl = await api.baseUrl;
  sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const [owner] = await sql<{ id: string }[]>`
    insert into users (id, email, role) values (gen_random_uuid()::text, 'regex@test.local', 'maintainer') returning id`;
  const { key, prefix, keyHash } = generateApiKey();
  await sql`insert into api_keys (name, prefix, key_hash, role, created_by)
            values ('regex', ${prefix}, ${keyHash}, 'maintainer', ${owner!.id})`;
  client = createClient({ url: `${baseUrl}/trpc`, apiKey: key });
  const res = await fetch(`${baseUrl}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({
      points: Array.from({ length: SERIES }, (_, i) => ({
        name: 'redos_probe',
        labels: { path: value(i) },
        ts: Date.now(),
        value: 1,
      })),
    }),
  });
  expect(res.status).toBe(202);
}, 120_000);
afterAll(async () => {
  api?.child.kill('SIGKILL');
  await api?.exited;
  await sql?.end();
});

const window = () => ({ from: new Date(Date.now() - 120_000), to: new Date(), step: 60, fn: 'sum' as const });
const matching = async (op: '=~' | '!~', pattern: string) =>
  (
    await client.metrics.query.query({
      selector: { name: 'redos_probe', matchers: [{ label: 'path', op, value: pattern }] },
      ...window(),
    })
  ).series;

async function refusal(pattern: string) {
  const err = await matching('=~', pattern).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCClientError);
  const e = err as TRPCClientError<never>;
  return { appCode: (e.data as unknown as { appCode: string }).appCode, message: e.message };
}

describe('label matcher regular expressions', () => {
  it('a pathological pattern is answered, and /healthz answers alongside it', {
    timeout: 20_000,
  }, async () => {
    const query = matching('=~', '(.|.|.|.|.|.|.|.)*Z');
    const health = fetch(`${baseUrl}/healthz`).then((r) => r.status);
    expect(await Promise.all([query, health])).toEqual([0, 200]);
    expect(await matching('!~', '(.|.|.|.|.|.|.|.)*Z')).toBe(SERIES);
  });

  it('over 10,000 series of 1,024-character values run in Postgres: /healthz keeps answering', {
    timeout: 30_000,
  }, async () => {
    // Random a/c strings (no `b`, so nothing matches) defeat RE2's DFA cache: ~5 ms each on re2js, ~50 s in all.
    // Inserted directly: one ingest batch would be ~10 MB.
    await sql`
      insert into metric_series (name, labels, hash, kind)
      select 'redos_wide', jsonb_build_object('path', v.path), 'redos_wide:' || i, 'gauge'
      from generate_series(1, 10000) i, lateral (
        select string_agg(case when random() < 0.5 then 'a' else 'c' end, '') || i as path
        from generate_series(1, 1020 + 0 * i)
      ) v`;
    let settled = false;
    const query = client.metrics.query
      .query({
        selector: { name: 'redos_wide', matchers: [{ label: 'path', op: '=~', value: '.*a.{30}b' }] },
        ...window(),
      })
      .then(
        (r) => ({ series: r.series }),
        (e: unknown) => ({
          appCode: ((e as TRPCClientError<never>).data as { appCode?: string } | undefined)?.appCode,
        }),
      )
      .finally(() => {
        settled = true;
      });
    const health: number[] = [];
    while (!settled) {
      health.push(await fetch(`${baseUrl}/healthz`).then((r) => r.status));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(health.length).toBeGreaterThan(0);
    expect(health.every((status) => status === 200)).toBe(true);
    // Either answered, or stopped by the bounded statement_timeout with its own appCode.
    expect([{ series: 0 }, { appCode: 'QUERY_TOO_EXPENSIVE' }]).toContainEqual(await query);
  });

  it('are fully anchored, as in Prometheus', async () => {
    expect(await matching('=~', 'a+')).toBe(0);
    expect(await matching('=~', 'a+[0-9]+')).toBe(SERIES);
    expect(await matching('=~', `${value(7)}|${value(8)}`)).toBe(2);
    expect(await matching('!~', 'a+1.*')).toBe(SERIES - 11);
  });

  it('refuses invalid, too long or too costly patterns with VALIDATION_FAILED', async () => {
    expect(await refusal('(a')).toMatchObject({
      appCode: 'VALIDATION_FAILED',
      message: expect.stringMatching(/not a valid regular expression/),
    });
    // Balanced on its own only: must not close the anchoring group and match everything.
    expect(await refusal('a)|(.*')).toMatchObject({ appCode: 'VALIDATION_FAILED' });
    // Backreferences and lookarounds are not RE2 syntax.
    expect(await refusal('(a)\\1')).toMatchObject({ appCode: 'VALIDATION_FAILED' });
    expect(await refusal('(?=a)a')).toMatchObject({ appCode: 'VALIDATION_FAILED' });
    // RE2 syntax Postgres, which runs the patterns, would read otherwise (\b is a backspace there) or not at all.
    for (const pattern of ['\\ba+', '(?i)A+[0-9]+', '\\pL+[0-9]+', '(?P<x>a+)[0-9]+']) {
      expect(await refusal(pattern), pattern).toMatchObject({ appCode: 'VALIDATION_FAILED' });
    }
    expect(await matching('=~', '\\\\b|a+[0-9]+')).toBe(SERIES);
    expect(await refusal(`(${'a'.repeat(600)})`)).toMatchObject({ appCode: 'VALIDATION_FAILED' });
    expect(await refusal('((((.*){10}){10}){10})Z')).toMatchObject({
      appCode: 'VALIDATION_FAILED',
      message: expect.stringMatching(/too complex/),
    });
  });
});
