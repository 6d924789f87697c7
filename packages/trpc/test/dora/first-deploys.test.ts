/** commit_first_deploys, DORA's stored "first succeeded production deployment per service × commit", stays exact. */
import { asc, eq, schema } from '@sextant/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeployWorld, deployWorld } from '../deployments/world';
import { environmentIds } from './db-world';

let w: DeployWorld;
beforeAll(async () => {
  w = await deployWorld();
});
afterAll(async () => {
  await w?.f.close();
});

const T0 = Date.UTC(2026, 2, 1);
const t = (hours: number) => new Date(T0 + hours * 3_600_000);
const SHA = { a: 'aaaa0001', b: 'bbbb0002', c: 'cccc0003', d: 'dddd0004', e: 'eeee0005' };

interface Row {
  serviceId: string;
  sha: string;
  committedAt: Date;
  deploymentId: string;
  deployedAt: Date;
}
const key = (r: Row) => `${r.serviceId}/${r.sha}`;
const sorted = (rows: Row[]) => [...rows].sort((x, y) => key(x).localeCompare(key(y)));

/** The stored table. */
async function stored(): Promise<Row[]> {
  const db = w.f.database.primary;
  return sorted(await db.select().from(schema.commitFirstDeploys));
}

/** The same rows computed from scratch in TypeScript from deployments, their commits and production flags. */
async function fromScratch(): Promise<Row[]> {
  const { deployments: d, releaseCommits: c, environments: e } = schema;
  const rows = await w.f.database.primary
    .select({
      serviceId: d.serviceId,
      sha: c.sha,
      committedAt: c.committedAt,
      deploymentId: d.id,
      deployedAt: d.finishedAt,
      state: d.state,
      production: e.isProduction,
    })
    .from(d)
    .innerJoin(c, eq(c.releaseId, d.releaseId))
    .innerJoin(e, eq(e.id, d.environmentId))
    .orderBy(asc(d.id));
  const first = new Map<string, Row>();
  for (const r of rows) {
    if (!r.production || r.state !== 'succeeded' || !r.deployedAt) continue;
    const { serviceId, sha, committedAt, deploymentId, deployedAt } = r;
    const row: Row = { serviceId, sha, committedAt, deploymentId, deployedAt };
    const known = first.get(key(row));
    if (!known || row.deployedAt < known.deployedAt) first.set(key(row), row);
  }
  return sorted([...first.values()]);
}

const pick = (rows: Row[], serviceId: string, sha: string) =>
  rows.find((r) => r.serviceId === serviceId && r.sha === sha);

describe('commit_first_deploys (DORA lead time, requirements 13 and 14)', () => {
  it('requirement 14: equals a from-scratch computation after reports, transitions, rollbacks, re-deploys, added commits and FAT', async () => {
    const ci = await w.as('maintainer');
    const slugA = await w.service();
    const slugB = await w.service();
    const commits = (shas: string[], hour: number) => shas.map((sha) => ({ sha, committedAt: t(hour) }));
    const report = (
      slug: string,
      environment: string,
      version: string,
      shas: string[],
      state: 'succeeded' | 'in_progress' | 'failed' | 'queued',
      at: number,
      externalId?: string,
      commitHour = 0,
    ) =>
      ci.deployments.report({
        service: slug,
        environment,
        version,
        commits: commits(shas, commitHour),
        state,
        at: t(at),
        externalId,
      });
    const check = async () => {
      const rows = await stored();
      expect(rows).toEqual(await fromScratch());
      return rows;
    };

    const d1 = await report(slugA, 'PRO', '1.0.0', [SHA.a, SHA.b], 'succeeded', 10);
    await report(slugA, 'FAT', '1.1.0', [SHA.c], 'succeeded', 5); // FAT never counts
    const d2 = await report(slugA, 'PRO', '1.0.1', [SHA.a, SHA.c], 'in_progress', 8, 'x2', 1);
    let rows = await check();
    const serviceA = (await ci.deployments.get({ id: d1.id })).serviceId;
    expect(pick(rows, serviceA, SHA.c)).toBeUndefined(); // only FAT and in-progress carry it so far
    await report(slugA, 'PRO', '1.0.1', [SHA.a, SHA.c], 'succeeded', 12, 'x2', 1);
    rows = await check();
    expect(pick(rows, serviceA, SHA.a)).toMatchObject({ deploymentId: d1.id, deployedAt: t(10) }); // later: no change
    expect(pick(rows, serviceA, SHA.c)).toMatchObject({ deploymentId: d2.id, deployedAt: t(12) });

    const d3 = await report(slugA, 'PRO', '1.0.2', [SHA.b], 'succeeded', 7); // the same commit, earlier
    await report(slugA, 'PRO', '1.0.3', [SHA.d], 'failed', 3); // a failure is no commit's first
    rows = await check();
    expect(pick(rows, serviceA, SHA.b)).toMatchObject({ deploymentId: d3.id, deployedAt: t(7) });
    expect(pick(rows, serviceA, SHA.d)).toBeUndefined();

    // Rolled back: no longer a first (README "DORA figures"): a falls to d2 with d2's commit time, b has none left.
    await ci.deployments.transition({ id: d1.id, state: 'rolled_back' });
    await ci.deployments.transition({ id: d3.id, state: 'rolled_back' });
    rows = await check();
    expect(pick(rows, serviceA, SHA.a)).toMatchObject({ deploymentId: d2.id, committedAt: t(1) });
    expect(pick(rows, serviceA, SHA.b)).toBeUndefined();

    // The same SHA in another service counts there too; commits added to a shipped release count from its deploy.
    const dB = await report(slugB, 'PRO', '2.0.0', [SHA.a], 'succeeded', 20);
    await report(slugA, 'PRO', '1.0.1', [SHA.e], 'queued', 30, 'x5');
    rows = await check();
    expect(pick(rows, (await ci.deployments.get({ id: dB.id })).serviceId, SHA.a)).toMatchObject({
      deploymentId: dB.id,
    });
    expect(pick(rows, serviceA, SHA.e)).toMatchObject({ deploymentId: d2.id, deployedAt: t(12) });

    // FAT marked production (then unmarked): its earlier success becomes c's first, then no longer.
    const admin = await w.as('admin');
    const fatId = (await environmentIds(w)).FAT!;
    await admin.environments.update({ id: fatId, isProduction: true });
    rows = await check();
    expect(pick(rows, serviceA, SHA.c)).toMatchObject({ deployedAt: t(5) });
    await admin.environments.update({ id: fatId, isProduction: false });
    rows = await check();
    expect(pick(rows, serviceA, SHA.c)).toMatchObject({ deploymentId: d2.id });
  });
});
