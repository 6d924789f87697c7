/**
 * Issue 18 acceptance: an unmodified OpenFeature Node SDK with the OFREP provider, `flags.evaluate` over tRPC HTTP
 * and the in-process client (`createFlagClient`, stream mode) give the same answers for 1,000 random contexts.
 *
 * The provider is @openfeature/ofrep-provider 0.1.3, the only Node server provider on the registry. It predates
 * two things our edge relies on, and the test says how each is met:
 * - it has no `query` option, so the environment is added by its documented `fetchImplementation` hook;
 * - it predates OFREP ADR 0006 (a success without `value` means "use the code default"): it takes such an answer
 *   (DISABLED, or an "on" non-boolean flag without a variant value) as unexpected and the SDK answers the code
 *   default with reason ERROR / GENERAL. The value is still the same; the reason is the provider's.
 */
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { type EvaluationDetails, type JsonValue, OpenFeature } from '@openfeature/server-sdk';
import { createFlagClient, type EvaluationContext, type FlagClient, seededRandom } from '@sextant/flags';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type SignedIn, useTestApi } from './helpers';

const ENV = 'OpenFeature';
const F = {
  checkout: 'sdk.checkout',
  banner: 'sdk.banner',
  limit: 'sdk.limit',
  theme: 'sdk.theme',
  dormant: 'sdk.dormant',
} as const;
type Kind = 'boolean' | 'string' | 'number' | 'json';
// Each flag with its type and the code default every caller passes.
const CASES: { key: string; type: Kind; defaultValue: JsonValue }[] = [
  { key: F.checkout, type: 'boolean', defaultValue: false },
  { key: F.banner, type: 'string', defaultValue: 'none' },
  { key: F.limit, type: 'number', defaultValue: -1 },
  { key: F.theme, type: 'json', defaultValue: { theme: 'code-default' } },
];

/** targetingKey always (so stickiness never falls to random), userId/sessionId and custom fields that sometimes match. */
function randomContext(r: () => number, i: number): EvaluationContext {
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)]!;
  const ctx: Record<string, string | number | boolean> = { targetingKey: `user-${Math.floor(r() * 1e9)}` };
  if (r() < 0.5) ctx.userId = r() < 0.1 ? pick(['vip-1', 'vip-2']) : `u-${i}-${Math.floor(r() * 1e6)}`;
  if (r() < 0.5) ctx.sessionId = `s-${Math.floor(r() * 1e9)}`;
  if (r() < 0.8) ctx.plan = pick(['free', 'pro', 'enterprise', 'beta']);
  if (r() < 0.8) ctx.appVersion = `${pick([1, 2, 3])}.${Math.floor(r() * 10)}.${Math.floor(r() * 10)}`;
  if (r() < 0.8) ctx.country = pick(['DE', 'FR', 'US', 'JP']);
  if (r() < 0.5) ctx.seats = Math.floor(r() * 200);
  if (r() < 0.2) ctx.beta = r() < 0.5;
  return ctx;
}

/** Runs `work` over `items` with at most `width` at once (a little parallelism keeps the wall time in seconds). */
async function pool<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]!);
      }
    }),
  );
  return out;
}

/** The fields all three ways share; the SDK's error details carry no flag metadata. */
const comparable = (d: {
  value: unknown;
  variant?: string;
  reason?: string;
  errorCode?: string;
  flagMetadata?: unknown;
}) => ({
  value: d.value,
  variant: d.variant,
  reason: d.reason,
  errorCode: d.errorCode,
  ...(d.reason === 'ERROR' ? {} : { flagMetadata: d.flagMetadata }),
});

describe('OpenFeature Node SDK (OFREP provider) = flags.evaluate = in-process client (issue 18, requirements 10-11)', () => {
  const api = useTestApi({ API_RATE_LIMIT_PER_MIN: '0' });
  let maintainer: SignedIn;
  let viewerKey = '';
  let local: FlagClient;
  const domain = 'sextant-ofrep-test';
  const sdk = () => OpenFeature.getClient(domain);

  beforeAll(async () => {
    const admin = await api.asUser('admin');
    await admin.client.environments.create.mutate({ name: ENV });
    maintainer = await api.asUser('maintainer');
    viewerKey = (await api.withKey('viewer')).key;
    const m = maintainer.client.flags;
    for (const { key, type } of [...CASES, { key: F.dormant, type: 'boolean' as const }]) {
      await m.create.mutate({ key, type });
    }
    // Three constraints (AND, one negated) or a 40 % rollout; variants with an override on the boolean too.
    await m.setEnvironment.mutate({
      key: F.checkout,
      environment: ENV,
      enabled: true,
      strategies: [
        {
          type: 'default',
          constraints: [
            { contextName: 'plan', operator: 'IN', values: ['enterprise', 'pro'] },
            { contextName: 'appVersion', operator: 'SEMVER_GT', value: '2.0.0' },
            { contextName: 'country', operator: 'IN', values: ['JP'], inverted: true },
          ],
        },
        { type: 'gradualRollout', percentage: 40, stickiness: 'default' },
      ],
      variants: [
        { name: 'control', weight: 500 },
        {
          name: 'treatment',
          weight: 500,
          overrides: [{ contextName: 'userId', values: ['vip-1'] }],
        },
      ],
    });
    // On for 70 %: the other 30 % get the code default (a value-less OFREP answer); overrides win for beta.
    await m.setEnvironment.mutate({
      key: F.banner,
      environment: ENV,
      enabled: true,
      strategies: [{ type: 'gradualRollout', percentage: 70, stickiness: 'default' }],
      variants: [
        { name: 'red', weight: 334, payload: { type: 'string', value: 'Red banner' } },
        { name: 'green', weight: 333, payload: { type: 'string', value: 'Green banner' } },
        {
          name: 'blue',
          weight: 333,
          payload: { type: 'string', value: 'Blue banner' },
          overrides: [{ contextName: 'plan', values: ['beta'] }],
        },
      ],
    });
    await m.setEnvironment.mutate({
      key: F.limit,
      environment: ENV,
      enabled: true,
      strategies: [
        { type: 'default', constraints: [{ contextName: 'seats', operator: 'NUM_GTE', value: '20' }] },
      ],
      variants: [
        { name: 'small', weight: 250, payload: { type: 'number', value: '10' } },
        { name: 'large', weight: 750, payload: { type: 'number', value: '2.5e3' } },
      ],
    });
    await m.setEnvironment.mutate({
      key: F.theme,
      environment: ENV,
      enabled: true,
      variants: [
        { name: 'dark', weight: 1000, payload: { type: 'json', value: '{"theme":"dark","contrast":[1,2]}' } },
      ],
    });
    await m.setEnvironment.mutate({ key: F.dormant, environment: ENV, enabled: false });

    // The SDK unmodified; the environment rides on the provider's fetch hook (0.1.3 has no `query` option).
    const fetchImplementation = async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input, init);
      const url = new URL(req.url);
      url.searchParams.set('environment', ENV);
      return fetch(url, { method: req.method, headers: req.headers, body: await req.text() });
    };
    await OpenFeature.setProviderAndWait(
      domain,
      new OFREPProvider({
        baseUrl: api.baseUrl,
        headers: { 'X-API-Key': viewerKey },
        fetchImplementation,
      }),
    );
    local = createFlagClient({ baseUrl: api.baseUrl, apiKey: viewerKey, environment: ENV, mode: 'stream' });
    await local.ready();
    // Every way reads the same instance's snapshot; wait until the stream has delivered the last write.
    const versions = async () =>
      Object.fromEntries(
        await Promise.all(
          [...CASES.map((c) => c.key), F.dormant].map(async (key) => {
            const got = await maintainer.client.flags.get.query({ key });
            return [key, got.environments.find((e) => e.environment === ENV)!.version] as const;
          }),
        ),
      );
    const expected = await versions();
    await vi.waitFor(
      () => {
        const flags = local.snapshot()?.flags ?? {};
        expect(Object.fromEntries(Object.keys(expected).map((k) => [k, flags[k]?.version]))).toEqual(
          expected,
        );
      },
      { timeout: 5_000, interval: 20 },
    );
  });
  afterAll(async () => {
    local?.close();
    await OpenFeature.clearProviders();
  });

  const viaSdk = (key: string, type: Kind, defaultValue: JsonValue, ctx: EvaluationContext) => {
    const c = sdk();
    const context = ctx as Parameters<typeof c.getBooleanDetails>[2];
    const details: Promise<EvaluationDetails<JsonValue>> =
      type === 'boolean'
        ? c.getBooleanDetails(key, defaultValue as boolean, context)
        : type === 'string'
          ? c.getStringDetails(key, defaultValue as string, context)
          : type === 'number'
            ? c.getNumberDetails(key, defaultValue as number, context)
            : c.getObjectDetails(key, defaultValue, context);
    return details;
  };
  const viaLocal = (key: string, type: Kind, defaultValue: JsonValue, ctx: EvaluationContext) =>
    type === 'boolean'
      ? local.getBooleanDetails(key, defaultValue as boolean, ctx)
      : type === 'string'
        ? local.getStringDetails(key, defaultValue as string, ctx)
        : type === 'number'
          ? local.getNumberDetails(key, defaultValue as number, ctx)
          : local.getObjectDetails(key, defaultValue, ctx);
  const viaTrpc = (flagKey: string, type: Kind, defaultValue: JsonValue, context: EvaluationContext) =>
    api.keyClient(viewerKey).flags.evaluate.query({ flagKey, environment: ENV, type, defaultValue, context });

  it('1,000 random contexts: value, variant, reason and metadata are identical three ways, over the four flag types', async () => {
    // mulberry32: the same 1,000 contexts on every run.
    const r = seededRandom(18_000);
    const contexts = Array.from({ length: 1_000 }, (_, i) => randomContext(r, i));
    // Each context asks one flag (the four in turn): 1,000 SDK requests, 250 per flag type.
    const jobs = contexts.map((ctx, i) => ({ ...CASES[i % CASES.length]!, ctx }));
    const trpc = api.keyClient(viewerKey);
    // tRPC calls go in batches of 20 (TRPC_MAX_BATCH) through the client's httpBatchLink.
    const [fromSdk, fromTrpc] = await Promise.all([
      pool(jobs, 16, (j) => viaSdk(j.key, j.type, j.defaultValue, j.ctx)),
      pool(jobs, 80, (j) =>
        trpc.flags.evaluate.query({
          flagKey: j.key,
          environment: ENV,
          type: j.type,
          defaultValue: j.defaultValue,
          context: j.ctx,
        }),
      ),
    ]);
    const reasons: Record<string, Record<string, number>> = {};
    let codeDefaults = 0;
    jobs.forEach((j, i) => {
      const server = comparable(fromTrpc[i]!);
      const inProcess = comparable(viaLocal(j.key, j.type, j.defaultValue, j.ctx));
      const label = { flag: j.key, context: j.ctx };
      expect({ ...label, ...inProcess }).toEqual({ ...label, ...server });
      const sdkAnswer = comparable(fromSdk[i]!);
      const byFlag = reasons[j.key] ?? {};
      reasons[j.key] = byFlag;
      byFlag[server.reason!] = (byFlag[server.reason!] ?? 0) + 1;
      if (server.variant === undefined && j.type !== 'boolean') {
        // A code-default answer (ADR 0006): same value; provider 0.1.3 reports it as ERROR / GENERAL.
        codeDefaults++;
        expect({
          ...label,
          value: sdkAnswer.value,
          reason: sdkAnswer.reason,
          code: sdkAnswer.errorCode,
        }).toEqual({
          ...label,
          value: j.defaultValue,
          reason: 'ERROR',
          code: 'GENERAL',
        });
        expect(server.value).toEqual(j.defaultValue);
      } else {
        expect({ ...label, ...sdkAnswer }).toEqual({ ...label, ...server });
      }
    });
    // The contexts exercise every branch: targeting, rollout split, overrides, weighted variants, code defaults.
    expect(reasons[F.checkout]).toEqual({
      TARGETING_MATCH: expect.any(Number),
      SPLIT: expect.any(Number),
    });
    expect(Object.keys(reasons[F.banner]!).sort()).toEqual(['SPLIT', 'TARGETING_MATCH']);
    expect(Object.keys(reasons[F.limit]!).sort()).toEqual(['DEFAULT', 'SPLIT']);
    expect(reasons[F.theme]).toEqual({ DEFAULT: 250 });
    const variants = new Set(fromTrpc.map((d) => `${d.flagKey}:${d.variant}`));
    for (const v of ['control', 'treatment']) expect(variants).toContain(`${F.checkout}:${v}`);
    for (const v of ['red', 'green', 'blue']) expect(variants).toContain(`${F.banner}:${v}`);
    for (const v of ['small', 'large']) expect(variants).toContain(`${F.limit}:${v}`);
    expect(codeDefaults).toBeGreaterThan(25);
    expect(codeDefaults).toBeLessThan(500);
  });

  it('requirement 11: OFREP answers carry the OpenFeature reasons through the SDK: TARGETING_MATCH, SPLIT, FLAG_NOT_FOUND, TYPE_MISMATCH, DISABLED, INVALID_CONTEXT', async () => {
    const three = async (key: string, type: Kind, defaultValue: JsonValue, ctx: EvaluationContext) => ({
      sdk: comparable(await viaSdk(key, type, defaultValue, ctx)),
      trpc: comparable(await viaTrpc(key, type, defaultValue, ctx)),
      local: comparable(viaLocal(key, type, defaultValue, ctx)),
    });
    const same = (answers: Awaited<ReturnType<typeof three>>, expected: Record<string, unknown>) => {
      expect(answers.sdk).toMatchObject(expected);
      expect(answers.trpc).toEqual(answers.sdk);
      expect(answers.local).toEqual(answers.sdk);
    };
    const targeted = { targetingKey: 'ana', plan: 'pro', appVersion: '2.1.0', country: 'DE' };
    same(await three(F.checkout, 'boolean', false, targeted), { value: true, reason: 'TARGETING_MATCH' });
    // Japan is negated out of the targeting strategy, so the 40 % rollout decides: SPLIT either way.
    const rolled = await three(F.checkout, 'boolean', false, { ...targeted, country: 'JP' });
    same(rolled, { reason: 'SPLIT' });
    same(await three(F.banner, 'string', 'none', { targetingKey: 'bo', plan: 'beta' }), {
      value: 'Blue banner',
      variant: 'blue',
      reason: 'TARGETING_MATCH',
    });
    same(await three('sdk.no-such-flag', 'boolean', true, targeted), {
      value: true,
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
    });
    // A boolean flag asked as a string: OFREP answers the boolean, the provider finds the mismatch.
    same(await three(F.checkout, 'string', 'fallback', targeted), {
      value: 'fallback',
      reason: 'ERROR',
      errorCode: 'TYPE_MISMATCH',
    });
    // Over FLAG_CONTEXT_LIMITS: the edge answers 400 INVALID_CONTEXT, the client refuses it the same way.
    const wide = { targetingKey: 'w', blob: 'x'.repeat(40_000) };
    const sdkWide = comparable(await viaSdk(F.checkout, 'boolean', true, wide));
    expect(sdkWide).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'INVALID_CONTEXT' });
    expect(comparable(viaLocal(F.checkout, 'boolean', true, wide))).toEqual(sdkWide);

    // DISABLED: the OFREP answer has the reason and no value (ADR 0006); tRPC and the client answer the default.
    const res = await fetch(`${api.baseUrl}/ofrep/v1/evaluate/flags/${F.dormant}?environment=${ENV}`, {
      method: 'POST',
      headers: { 'x-api-key': viewerKey, 'content-type': 'application/json' },
      body: JSON.stringify({ context: targeted }),
    });
    const answer = (await res.json()) as Record<string, unknown>;
    expect({ status: res.status, ...answer }).toMatchObject({
      status: 200,
      key: F.dormant,
      reason: 'DISABLED',
    });
    expect('value' in answer).toBe(false);
    const disabled = await three(F.dormant, 'boolean', true, targeted);
    expect(disabled.trpc).toMatchObject({ value: true, reason: 'DISABLED' });
    expect(disabled.local).toEqual(disabled.trpc);
    // Provider 0.1.3 predates ADR 0006: the SDK still answers the code default, under reason ERROR.
    expect(disabled.sdk).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'GENERAL' });
  });
});
