import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src/root';
import { FLAG_EVALUATIONS_METRIC, FlagEvaluationCounter } from '../../src/services/flags/evaluation-counter';
import { FlagSnapshotCache } from '../../src/services/flags/snapshot';
import { createWorld, type World } from './world';

let w: World;
let key: string;
let stringKey: string;
beforeAll(async () => {
  w = await createWorld();
  const m = w.as('maintainer');
  key = (await w.fx.flag()).key;
  // UAT: 10 % rollout (userId 174 -> bucket 10 on, 499 -> bucket 32 off, with group id Feature.flexibleRollout.10).
  await m.flags.setEnvironment({
    key,
    environment: 'UAT',
    enabled: true,
    strategies: [{ type: 'gradualRollout', percentage: 10, groupId: 'Feature.flexibleRollout.10' }],
  });
  // FAT: on for the enterprise plan only; DEV: on, no strategies; PRO: disabled.
  await m.flags.setEnvironment({
    key,
    environment: 'FAT',
    enabled: true,
    strategies: [
      { type: 'default', constraints: [{ contextName: 'plan', operator: 'IN', values: ['enterprise'] }] },
    ],
  });
  await m.flags.toggle({ key, environment: 'DEV', enabled: true });
  stringKey = w.fx.unique('banner');
  await m.flags.create({ key: stringKey, type: 'string' });
  await m.flags.setEnvironment({
    key: stringKey,
    environment: 'DEV',
    enabled: true,
    variants: [{ name: 'blue', weight: 1000, payload: { type: 'string', value: 'Blue banner' } }],
  });
});
afterAll(async () => {
  await w?.close();
});

const evaluate = (input: Parameters<ReturnType<World['as']>['flags']['evaluate']>[0]) =>
  w.as('viewer', true).flags.evaluate(input);

describe('flags.evaluate (spec B3, req. 11): never throws, OpenFeature reasons, flagKey echoed', () => {
  it('an unknown flag answers the default, reason ERROR, FLAG_NOT_FOUND', async () => {
    const res = await evaluate({ flagKey: 'no-such-flag', environment: 'UAT', defaultValue: true });
    expect(res).toMatchObject({
      flagKey: 'no-such-flag',
      value: true,
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
      flagMetadata: { environment: 'UAT' },
    });
  });

  it('an unknown environment answers the default with FLAG_NOT_FOUND too', async () => {
    const res = await evaluate({ flagKey: key, environment: 'MARS', defaultValue: 'x' });
    expect(res).toMatchObject({ flagKey: key, value: 'x', reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
  });

  it('a default of the wrong type is TYPE_MISMATCH (inferred, or against an explicit type)', async () => {
    const inferred = await evaluate({ flagKey: key, environment: 'DEV', defaultValue: 'off' });
    expect(inferred).toMatchObject({
      flagKey: key,
      value: 'off',
      reason: 'ERROR',
      errorCode: 'TYPE_MISMATCH',
    });
    const explicit = await evaluate({ flagKey: key, environment: 'DEV', type: 'boolean', defaultValue: 3 });
    expect(explicit).toMatchObject({ value: 3, reason: 'ERROR', errorCode: 'TYPE_MISMATCH' });
  });

  it('disabled is DISABLED with the default, and the environment version in flagMetadata', async () => {
    const res = await evaluate({ flagKey: key, environment: 'pro', defaultValue: false });
    expect(res).toEqual({
      flagKey: key,
      value: false,
      reason: 'DISABLED',
      flagMetadata: { flagVersion: 1, environment: 'PRO' },
    });
  });

  it('a percentage decision is SPLIT: userId 174 on, 499 off at 10 % (req. 9 vectors)', async () => {
    const on = await evaluate({
      flagKey: key,
      environment: 'UAT',
      defaultValue: false,
      context: { userId: '174' },
    });
    expect(on).toMatchObject({
      value: true,
      reason: 'SPLIT',
      flagMetadata: { flagVersion: 2, environment: 'UAT' },
    });
    const off = await evaluate({
      flagKey: key,
      environment: 'UAT',
      defaultValue: true,
      context: { userId: '499' },
    });
    expect(off).toMatchObject({ value: false, reason: 'SPLIT' });
  });

  it('a constraint match is TARGETING_MATCH; no match is DEFAULT (off)', async () => {
    const hit = await evaluate({
      flagKey: key,
      environment: 'FAT',
      defaultValue: false,
      context: { plan: 'enterprise' },
    });
    expect(hit).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
    const miss = await evaluate({
      flagKey: key,
      environment: 'FAT',
      defaultValue: false,
      context: { plan: 'free' },
    });
    expect(miss).toMatchObject({ value: false, reason: 'DEFAULT' });
  });

  it('on with no strategies is DEFAULT (on for everyone)', async () => {
    const res = await evaluate({ flagKey: key, environment: 'DEV', defaultValue: false });
    expect(res).toMatchObject({ flagKey: key, value: true, reason: 'DEFAULT' });
  });

  it('a string flag answers its variant value', async () => {
    const res = await evaluate({
      flagKey: stringKey,
      environment: 'DEV',
      defaultValue: 'none',
      context: { userId: 'a' },
    });
    expect(res).toMatchObject({ flagKey: stringKey, value: 'Blue banner', variant: 'blue' });
  });

  it('a 1 MB context answers the default with INVALID_CONTEXT, not an error', async () => {
    const res = await evaluate({
      flagKey: key,
      environment: 'DEV',
      defaultValue: false,
      context: { userId: '1', blob: 'x'.repeat(1_000_000) },
    });
    expect(res).toMatchObject({ flagKey: key, value: false, reason: 'ERROR', errorCode: 'INVALID_CONTEXT' });
    const notObject = await evaluate({
      flagKey: key,
      environment: 'DEV',
      defaultValue: false,
      context: 'me',
    });
    expect(notObject).toMatchObject({ value: false, errorCode: 'INVALID_CONTEXT' });
  });

  it('an archived flag is not found (it left the snapshot)', async () => {
    const { key: gone } = await w.fx.flag(true);
    const res = await evaluate({ flagKey: gone, environment: 'DEV', defaultValue: true });
    expect(res).toMatchObject({ flagKey: gone, value: true, errorCode: 'FLAG_NOT_FOUND' });
  });
});

describe('flags.evaluate reads the instance cache (runtime.flagSnapshotCache)', () => {
  it('answers from the cache the runtime carries, not from a fresh read', async () => {
    const snapshot = {
      environment: 'UAT',
      environmentId: '00000000-0000-4000-8000-0000000000aa',
      etag: '"cached"',
      generatedAt: new Date().toISOString(),
      flags: { [key]: { key, type: 'boolean' as const, enabled: true, version: 77, environment: 'UAT' } },
    };
    const cache = new FlagSnapshotCache(w.f.database.db, async () => snapshot);
    const ctx = w.f.ctx(w.f.apiKey('viewer'));
    const caller = appRouter.createCaller({ ...ctx, runtime: { ...ctx.runtime, flagSnapshotCache: cache } });
    const res = await caller.flags.evaluate({ flagKey: key, environment: 'UAT', defaultValue: false });
    expect(res).toEqual({
      flagKey: key,
      value: true,
      reason: 'DEFAULT',
      flagMetadata: { flagVersion: 77, environment: 'UAT' },
    });
  });
});

describe('flags.evaluate counts what it answers (runtime.flagEvaluations, issue 18 point 3)', () => {
  it('counts evaluations of existing flags by variant bucket, and never an unknown key', async () => {
    const counter = new FlagEvaluationCounter();
    const ctx = w.f.ctx(w.f.apiKey('viewer'));
    const caller = appRouter.createCaller({ ...ctx, runtime: { ...ctx.runtime, flagEvaluations: counter } });
    await caller.flags.evaluate({
      flagKey: key,
      environment: 'uat',
      defaultValue: false,
      context: { userId: '174' },
    });
    await caller.flags.evaluate({
      flagKey: key,
      environment: 'UAT',
      defaultValue: false,
      context: { userId: '499' },
    });
    await caller.flags.evaluate({ flagKey: key, environment: 'PRO', defaultValue: false });
    await caller.flags.evaluate({ flagKey: 'no-such-flag', environment: 'UAT', defaultValue: false });
    const flushed = await counter.flush(w.f.database.db);
    expect(flushed.unknown).toBe(0);
    const rows = await w.f.database.sql<{ variant: string; n: number }[]>`
      select s.labels->>'variant' as variant, sum(p.value)::float8 as n
      from metric_points p join metric_series s on s.id = p.series_id
      where s.name = ${FLAG_EVALUATIONS_METRIC} and s.labels->>'flag' = ${key}
      group by 1`;
    expect(Object.fromEntries(rows.map((r) => [r.variant, r.n]))).toEqual({
      '(on)': 1,
      '(off)': 1,
      '(disabled)': 1,
    });
  });
});
