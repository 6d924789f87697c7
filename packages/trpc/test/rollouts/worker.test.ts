import type { Database } from '@sextant/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchSchema } from '../../src/schemas/metrics';
import { ingestBatch } from '../../src/services/metrics/ingest';
import { DEFAULT_SERIES_LIMITS } from '../../src/services/metrics/limits';
import { deliverDue } from '../../src/services/notify/deliver';
import { render } from '../../src/services/notify/integrations';
import { isRolloutNotice } from '../../src/services/notify/rollout-notice';
import { rolloutTick } from '../../src/services/rollouts/worker';
import { type RolloutWorld, rolloutWorld } from './world';

let w: RolloutWorld;
let pools: Database[];
beforeAll(async () => {
  w = await rolloutWorld();
  pools = await w.instances(3);
});
afterAll(async () => {
  await w?.close();
});

/** Three API instances ticking at the same engine time, each on its own pool. */
const tickAll = async (nowMs: number) => {
  const results = await Promise.all(pools.map((p) => rolloutTick({ db: p.db, sql: p.sql }, nowMs)));
  return results.reduce((a, r) => ({
    handled: a.handled + r.handled,
    advanced: a.advanced + r.advanced,
    measured: a.measured + r.measured,
  }));
};

/** Counter points for requests by version: `total` requests of which `errors` 5xx, at two times in the window. */
async function seedRequests(
  service: string,
  environment: string,
  at: number,
  byVersion: Record<string, number>,
) {
  const points = Object.entries(byVersion).flatMap(([version, errorShare]) =>
    [0, 1].flatMap((i) => {
      const total = 1000 * (i + 1);
      const errors = Math.round(total * errorShare);
      const labels = { service, environment, version };
      return [
        {
          name: 'http_requests_total',
          labels: { ...labels, status: '200' },
          ts: at - 20_000 + i * 10_000,
          value: total - errors,
          kind: 'counter',
        },
        {
          name: 'http_requests_total',
          labels: { ...labels, status: '500' },
          ts: at - 20_000 + i * 10_000,
          value: errors,
          kind: 'counter',
        },
      ];
    }),
  );
  await ingestBatch(w.f.database.sql, batchSchema.parse({ points }), DEFAULT_SERIES_LIMITS);
}

describe('rollout worker', () => {
  it('requirement 4: with 3 API instances a timed pause advances exactly once', async () => {
    const { service, environment } = await w.service();
    const receiverId = await w.receiver();
    const caller = w.as('maintainer');
    const id = await caller.rollouts.start({
      service,
      environment,
      release: '2.0.0',
      receiverId,
      steps: [
        { type: 'pause', durationSeconds: 60 },
        { type: 'setWeight', weight: 50 },
      ],
    });
    const { pauseUntil } = await caller.rollouts.get({ id });
    const due = pauseUntil!.getTime();
    expect(await tickAll(due - 1000)).toEqual({ handled: 0, advanced: 0, measured: 0 });
    const before = await w.counts();
    expect((await tickAll(due + 500)).advanced).toBe(1);
    expect(await caller.rollouts.get({ id })).toMatchObject({
      state: 'progressing',
      stepIndex: 1,
      weight: 50,
    });
    expect((await tickAll(due + 1000)).advanced).toBe(0);
    const after = await w.counts();
    expect(after.outbox - before.outbox).toBe(1);
    expect(await w.webhooks(id)).toEqual([
      { from: 'pending', to: 'paused', change: 1 },
      { from: 'paused', to: 'progressing', change: 2 },
    ]);
    const [row] = await w.f.database.sql<{ n: number }[]>`
      select count(*)::int as n from audit_log where target_id = ${id} and action = 'rollout.pauseExpired'`;
    expect(row!.n).toBe(1);
  });

  it('requirement 5: a failing analysis aborts once and sends one webhook per state change', async () => {
    const { service, environment } = await w.service();
    const receiverId = await w.receiver();
    const caller = w.as('maintainer');
    const now = Date.now();
    // A bad canary: 5 % errors against 0.1 % on the stable release.
    await seedRequests(service, environment, now, { '2.0.0': 0.05, '1.0.0': 0.001 });
    const id = await caller.rollouts.start({
      service,
      environment,
      release: '2.0.0',
      receiverId,
      steps: [
        { type: 'setWeight', weight: 0 },
        {
          type: 'analysis',
          template: {
            metrics: [
              {
                name: 'errors',
                query: { kind: 'error_ratio' },
                comparison: { op: 'max_delta', max: 0.01 },
                intervalSeconds: 30,
                count: 3,
              },
            ],
          },
        },
      ],
    });
    await caller.rollouts.report({ service, environment, version: '2.0.0', weight: 0 });
    expect((await caller.rollouts.get({ id })).state).toBe('analyzing');
    const ticked = await tickAll(Date.now());
    expect(ticked).toMatchObject({ advanced: 1, measured: 1 });
    const r = await caller.rollouts.get({ id });
    expect(r).toMatchObject({ state: 'rolled_back', weight: 0, rolledBackTo: { version: '1.0.0' } });
    const [aborts] = await w.f.database.sql<{ n: number }[]>`
      select count(*)::int as n from audit_log where target_id = ${id} and action = 'rollout.analysisResult'`;
    expect(aborts!.n).toBe(1);
    expect(r.runs).toHaveLength(1);
    expect(r.runs[0]).toMatchObject({ phase: 'failed' });
    expect(r.runs[0]!.measurements).toHaveLength(1);
    expect(r.runs[0]!.measurements[0]!.value).toBeCloseTo(0.049, 3);
    expect(await w.webhooks(id)).toEqual([
      { from: 'pending', to: 'progressing', change: 1 },
      { from: 'progressing', to: 'analyzing', change: 2 },
      { from: 'analyzing', to: 'aborted', change: 3 },
      { from: 'aborted', to: 'rolled_back', change: 4 },
    ]);
    expect(await tickAll(now + 60_000)).toEqual({ handled: 0, advanced: 0, measured: 0 });
    // The outbox delivers them as rendered webhooks, one per change.
    const sent: { to: string; change: number }[] = [];
    const delivered = await deliverDue(w.f.database.sql, Date.now() + 1000, async (target, message) => {
      const r = render(target, message);
      if (r.transport === 'http' && isRolloutNotice(message) && message.rolloutId === id)
        sent.push(JSON.parse(r.requests[0]!.body));
      return { class: 'success', status: 200, retryAfterMs: null, error: null, durationMs: 1 };
    });
    expect(delivered.length).toBeGreaterThanOrEqual(4);
    sent.sort((a, b) => a.change - b.change);
    expect(sent.map((b) => [b.change, b.to])).toEqual([
      [1, 'progressing'],
      [2, 'analyzing'],
      [3, 'aborted'],
      [4, 'rolled_back'],
    ]);
    expect(await caller.rollouts.desired({ service, environment })).toMatchObject({
      state: 'rolled_back',
      weight: 0,
      stableVersion: '1.0.0',
    });
  });

  it('requirement 5: an inconclusive analysis pauses for a human', async () => {
    const { service, environment } = await w.service();
    const caller = w.as('maintainer');
    const now = Date.now();
    await seedRequests(service, environment, now, { '2.0.0': 0.006, '1.0.0': 0.001 });
    const analysis = (marginal: number) => ({
      type: 'analysis' as const,
      template: {
        metrics: [
          {
            name: 'errors',
            query: { kind: 'error_ratio' as const },
            comparison: { op: 'max_delta' as const, max: 0.01, marginal },
            intervalSeconds: 30,
            count: 2,
          },
        ],
      },
    });
    const id = await caller.rollouts.start({
      service,
      environment,
      release: '2.0.0',
      steps: [analysis(0.002), { type: 'pause' }],
    });
    expect(await tickAll(Date.now())).toMatchObject({ advanced: 1, measured: 1 });
    expect(await caller.rollouts.get({ id })).toMatchObject({
      state: 'paused',
      stepIndex: 0,
      reason: 'inconclusive',
    });
  });
});
