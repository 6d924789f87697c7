import { createDatabase, type Database } from '@sextant/db';
import { createTestDatabase } from '@sextant/db/testing';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { ChangeContext } from '../../src/context';
import { appRouter } from '../../src/root';
import { type FlagSnapshot, FlagSnapshotCache } from '../../src/services/flags/snapshot';
import { setFlagEnvironment } from '../../src/services/flags/store';
import { DEFAULT_SERIES_LIMITS } from '../../src/services/metrics/limits';
import { createFixtures } from '../../src/testing/fixtures';

/** Three API instances: each its own pool (so its own LISTEN connection) and its own cache, on one database. */
const instances: { database: Database; cache: FlagSnapshotCache; unlisten(): Promise<void> }[] = [];

beforeAll(async () => {
  const url = await createTestDatabase(inject('adminUrl'));
  for (let i = 0; i < 3; i++) {
    const database = createDatabase(url, { max: 2, applicationName: `flags-instance-${i}` });
    const cache = new FlagSnapshotCache(database.primary);
    const { unlisten } = await cache.listen(database.sql);
    await cache.ready;
    instances.push({ database, cache, unlisten });
  }
});
afterAll(async () => {
  for (const i of instances) {
    await i.unlisten();
    await i.database.close();
  }
});

/** Polls `read` until `done` holds or the deadline passes; answers whether it held. */
async function within(ms: number, read: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await read()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return read();
}

it("req. 12: a flag change reaches every instance's cached snapshot within 2 s (LISTEN/NOTIFY)", async () => {
  const [one] = instances;
  const fx = await createFixtures(one!.database);
  const { key } = await fx.flag();
  const ctx: ChangeContext = { db: one!.database.db, identity: null, requestId: 'req-12', ip: null };
  // Every instance has the environment cached at version 1, and keeps serving that same snapshot object.
  const cached: FlagSnapshot[] = [];
  for (const { cache } of instances) {
    const first = await cache.get('UAT');
    expect(first!.flags[key]).toMatchObject({ enabled: false, version: 1 });
    expect(await cache.get('uat')).toBe(first);
    // The OFREP hot path's synchronous look sees the same settled snapshot.
    expect(cache.peek('Uat')).toBe(first);
    cached.push(first!);
  }
  const heard: FlagSnapshot[] = [];
  const unsubscribe = instances[2]!.cache.subscribe('UAT', (s) => heard.push(s));

  await setFlagEnvironment(ctx, {
    key,
    environment: 'UAT',
    enabled: true,
    strategies: [{ type: 'gradualRollout', percentage: 20 }],
    confirmGroupIdChange: false,
  });

  for (const [i, { cache }] of instances.entries()) {
    const fresh = await within(2_000, async () => (await cache.get('UAT'))?.flags[key]?.version === 2);
    expect(fresh, `instance ${i} serves version 2 within 2 s`).toBe(true);
    const now = (await cache.get('UAT'))!;
    expect(now.etag).not.toBe(cached[i]!.etag);
    expect(cache.peek('UAT'), `instance ${i} peeks the new snapshot, never the old one`).toBe(now);
    expect(now.flags[key]).toMatchObject({ enabled: true, environment: 'UAT' });
  }
  expect(heard.some((s) => s.flags[key]?.version === 2)).toBe(true);
  // flags.evaluate on an instance reads that instance's cache: the version it echoes is the cached one.
  const caller = appRouter.createCaller({
    db: instances[1]!.database.db,
    sql: instances[1]!.database.sql,
    requestId: 'req-12',
    ip: null,
    logger: { info() {}, warn() {}, error() {}, debug() {} },
    runtime: {
      version: 'test',
      startedAt: new Date(),
      checkDatabase: async () => ({ applied: 1, expected: 1, current: true, level: 'test' }),
      metricLimits: DEFAULT_SERIES_LIMITS,
      flagSnapshotCache: instances[1]!.cache,
    },
    identity: { type: 'api_key', keyId: 'k', name: 'dev key', role: 'viewer', createdBy: 'u' },
    authError: null,
  });
  const answer = await caller.flags.evaluate({
    flagKey: key,
    environment: 'UAT',
    defaultValue: false,
    context: { userId: '174' },
  });
  expect(answer.flagMetadata).toEqual({ flagVersion: 2, environment: 'UAT' });
  unsubscribe();
  // Another environment's snapshot is unchanged: same etag.
  const pro = await instances[0]!.cache.get('PRO');
  expect(pro!.flags[key]).toMatchObject({ enabled: false, version: 1 });
  expect(await instances[0]!.cache.get('no-such-environment')).toBeUndefined();
});
