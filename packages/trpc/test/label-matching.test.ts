import { createDatabase, type Database } from '@sextant/db';
import { createTestDatabase } from '@sextant/db/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AppError } from '../src/errors';
import { METRIC_LIMITS } from '../src/schemas/metrics';
import { boundedMatching, selection } from '../src/services/metrics/series';

let url: string;
let database: Database;

beforeAll(async () => {
  url = await createTestDatabase(inject('adminUrl'));
  database = createDatabase(url, { max: 2, statementTimeoutMs: 15_000 });
  await database.sql`
    insert into metric_series (name, labels, hash, kind) values
      ('m', '{"a": "x"}', 'm1', 'gauge'),
      ('m', '{}', 'm2', 'gauge'),
      ('m', ${JSON.stringify({ a: 'p\nq' })}::jsonb, 'm3', 'gauge')`;
});
afterAll(async () => {
  await database?.close();
});

const labelsOf = async (matchers: { label: string; op: '=' | '!=' | '=~' | '!~'; value: string }[]) =>
  (
    await boundedMatching(
      database.sql,
      (tx) => tx<{ a: string | null }[]>`
        select labels ->> 'a' as a from metric_series where id in (select id from (${selection(tx, { name: 'm', matchers }, [])}) s)`,
    )
  )
    .map((s) => s.a)
    .sort();

describe('label matchers in Postgres', () => {
  it('treat a missing label as empty and anchor patterns, with `.` matching newlines, as Prometheus does', async () => {
    expect(await labelsOf([{ label: 'a', op: '=~', value: '' }])).toEqual([null]);
    expect(await labelsOf([{ label: 'a', op: '=', value: '' }])).toEqual([null]);
    expect(await labelsOf([{ label: 'a', op: '!=', value: '' }])).toEqual(['p\nq', 'x']);
    expect(await labelsOf([{ label: 'a', op: '!~', value: '.+' }])).toEqual([null]);
    expect(await labelsOf([{ label: 'a', op: '=~', value: 'p.q' }])).toEqual(['p\nq']);
    expect(await labelsOf([{ label: 'a', op: '=~', value: 'q' }])).toEqual([]);
    expect(await labelsOf([{ label: 'a', op: '=~', value: 'x|' }])).toEqual([null, 'x']);
  });

  it('answer QUERY_TOO_EXPENSIVE when the bounded statement_timeout runs out, and the bound stays local', async () => {
    const err = await boundedMatching(database.sql, (tx) => tx`select pg_sleep(30)`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).appCode).toBe('QUERY_TOO_EXPENSIVE');
    const inside = await boundedMatching(
      database.sql,
      (tx) => tx<{ s: string }[]>`select current_setting('statement_timeout') as s`,
    );
    expect(inside[0]!.s).toBe(`${METRIC_LIMITS.matchTimeoutMs / 1000}s`);
    expect(
      (await database.sql<{ s: string }[]>`select current_setting('statement_timeout') as s`)[0]!.s,
    ).toBe('15s');
  });

  it('keep a lower pool-wide statement_timeout', async () => {
    const strict = createDatabase(url, { max: 1, statementTimeoutMs: 500 });
    try {
      const inside = await boundedMatching(
        strict.sql,
        (tx) => tx<{ s: string }[]>`select current_setting('statement_timeout') as s`,
      );
      expect(inside[0]!.s).toBe('500ms');
    } finally {
      await strict.close();
    }
  });
});
