import { rollupHours, rollupMinutes } from '@sextant/trpc';
import { NICE_STEPS, niceStep, TIME_LIMITS } from '@sextant/trpc/time-range';
import { beforeAll, describe, expect, it } from 'vitest';
import { failure, useTestApi, useUser } from './helpers';

const api = useTestApi();
const admin = useUser(api, 'admin');
let serviceId: string;
let heartbeatId: string;

const DAY = 86_400_000;
const now = Date.now();
const years = (n: number) => n * 365 * DAY;

beforeAll(async () => {
  const svc = await admin.client.services.create.mutate({ name: 'Ranged' });
  serviceId = svc.id;
  const hb = await admin.client.heartbeats.create.mutate({
    service: svc.id,
    heartbeat: { name: 'nightly', periodSeconds: 3600 },
  });
  heartbeatId = hb.id;
  // A fleet target, so metrics.fleet really computes buckets rather than answering an empty list.
  await admin.client.metrics.push.mutate({
    points: [
      {
        name: 'http_requests_total',
        labels: { service: 'ranged', environment: 'PRO', status: '200' },
        ts: now - 60_000,
        value: 1,
        kind: 'counter',
      },
    ],
  });
  // The fleet reads the service tier, which the rollup jobs fill.
  await rollupMinutes(api.sql as never, new Date(now - 120_000), new Date(now + 60_000));
  await rollupHours(api.sql as never, new Date(now - 120_000), new Date(now + 60_000));
});

async function outcome(p: Promise<unknown>) {
  return p.then(
    () => ({ ok: true as const }),
    async (e: unknown) => {
      const data = await failure(Promise.reject(e));
      return {
        ok: false as const,
        code: data.code,
        appCode: data.appCode,
        fieldErrors: data.zodError?.fieldErrors,
      };
    },
  );
}

const expectValidationFailed = async (p: Promise<unknown>) =>
  expect(await outcome(p)).toMatchObject({ ok: false, code: 'BAD_REQUEST', appCode: 'VALIDATION_FAILED' });

type Window = { from: Date; to: Date };
const at = (fromMs: number, toMs: number): Window => ({ from: new Date(fromMs), to: new Date(toMs) });

const query = (w: Window, step: number) =>
  admin.client.metrics.query.query({
    selector: { name: 'http_requests_total', matchers: [] },
    ...w,
    step,
    fn: 'rate',
  });

/** Every procedure that takes a window of time, called with one window. */
const windowed: Record<string, (w: Window) => Promise<unknown>> = {
  'metrics.fleet': (w) => admin.client.metrics.fleet.query(w),
  'metrics.query': (w) => query(w, 86_400),
};

/** Procedures that take single dates (filters, expiry) or a calendar month. */
const dated: Record<string, (d: Date) => Promise<unknown>> = {
  'audit.list from': (d) => admin.client.audit.list.query({ from: d }),
  'audit.list to': (d) => admin.client.audit.list.query({ to: d }),
  'audit.list cursor': (d) => admin.client.audit.list.query({ cursor: { at: d, id: 1 } }),
  'apiKeys.create expiresAt': (d) =>
    admin.client.apiKeys.create.mutate({ name: 'ranged', role: 'viewer', expiresAt: d }),
  'services.uptime month': (d) =>
    admin.client.services.uptime.query({ id: serviceId, month: d.toISOString().slice(0, 7) }),
  'checks.uptime month': (d) =>
    admin.client.checks.uptime.query({ id: heartbeatId, month: d.toISOString().slice(0, 7) }),
};

const badWindows: Record<string, Window> = {
  '300 years back to now': at(now - years(300), now),
  '300 years from 2000': at(Date.UTC(2000, 0, 1), Date.UTC(2300, 0, 1)),
  '30 years, all inside the date bounds': at(now - years(25), now),
  'one day over the longest span': at(now - 401 * DAY, now),
  'starts before 2000': at(Date.UTC(1999, 11, 31), Date.UTC(2000, 0, 2)),
  'ends far in the future': at(now + years(20), now + years(20) + DAY),
  'ends before it starts': at(now, now - DAY),
};

const badDates: Record<string, Date> = {
  '1726': new Date(now - years(300)),
  '1999-12-31': new Date(Date.UTC(1999, 11, 31)),
  '300 years ahead': new Date(now + years(300)),
};

describe('time ranges: one shared limit for every procedure', () => {
  for (const [procedure, call] of Object.entries(windowed)) {
    for (const [name, w] of Object.entries(badWindows)) {
      it(`${procedure} refuses ${name} with VALIDATION_FAILED`, () => expectValidationFailed(call(w)));
    }
    it(`${procedure} answers the longest allowed window`, async () => {
      expect(await outcome(call(at(now - 400 * DAY, now)))).toEqual({ ok: true });
    });
  }

  for (const [procedure, call] of Object.entries(dated)) {
    for (const [name, d] of Object.entries(badDates)) {
      it(`${procedure} refuses ${name} with VALIDATION_FAILED`, () => expectValidationFailed(call(d)));
    }
    it(`${procedure} accepts a date inside the bounds`, async () => {
      expect(await outcome(call(new Date(now + 30 * DAY)))).toEqual({ ok: true });
    });
  }

  it('metrics.fleet over its longest window still finds the target', async () => {
    const rows = await admin.client.metrics.fleet.query(at(now - 400 * DAY, now));
    expect(rows).toEqual([
      // One sample: no increase yet.
      expect.objectContaining({ service: 'ranged', environment: 'PRO', requestsPerSec: 0 }),
    ]);
  });

  it('metrics.query still refuses too many buckets inside the span limit', async () => {
    const r = await outcome(query(at(now - 30 * DAY, now), 60));
    expect(r).toMatchObject({
      ok: false,
      appCode: 'VALIDATION_FAILED',
      fieldErrors: { step: [expect.stringMatching(/Too many buckets/)] },
    });
  });

  it('metrics.query refuses a step over a day with a field error on step', async () => {
    expect(NICE_STEPS.at(-1)).toBe(TIME_LIMITS.maxStepSeconds);
    expect(await outcome(query(at(now - 30 * DAY, now), 172_800))).toMatchObject({
      ok: false,
      appCode: 'VALIDATION_FAILED',
      fieldErrors: { step: [expect.any(String)] },
    });
  });

  for (const days of [1, 30, 299, 301, 400]) {
    it(`the console's computed step for a ${days}-day window is one metrics.query accepts`, async () => {
      const w = at(now - days * DAY, now);
      const step = niceStep(w.from.getTime(), w.to.getTime(), { buckets: 300, minSeconds: 10 });
      expect(step).toBeLessThanOrEqual(TIME_LIMITS.maxStepSeconds);
      expect(await outcome(query(w, step))).toEqual({ ok: true });
    });
  }
});
