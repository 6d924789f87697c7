/** The DORA reader against a real Postgres: the calculator's fixture seeded through the services. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doraFigures } from '../../src/services/dora/figures';
import { doraForScope, doraOverview } from '../../src/services/dora-reader';
import { type DeployWorld, deployWorld } from '../deployments/world';
import { seedDeployments, seedIncidents } from './db-world';
import { commit, deploy, fat, incident, MARCH, mar, REQ15_DEPLOYMENTS, REQ15_INCIDENTS } from './fixture';

let w: DeployWorld;
beforeAll(async () => {
  w = await deployWorld();
});
afterAll(async () => {
  await w?.f.close();
});

const END_OF_MARCH = mar(31, 0);

/** A fresh service with the requirement-15 fixture (plus `extra` deployments and incidents) seeded. */
async function seeded(
  extra: { deployments?: typeof REQ15_DEPLOYMENTS; incidents?: typeof REQ15_INCIDENTS } = {},
) {
  const service = await w.fx.service();
  const deployments = await seedDeployments(w, service.slug, [
    ...REQ15_DEPLOYMENTS,
    ...(extra.deployments ?? []),
  ]);
  const incidents = await seedIncidents(
    w,
    service.id,
    [...REQ15_INCIDENTS, ...(extra.incidents ?? [])],
    deployments,
  );
  return { service, deployments, incidents };
}

describe('dora.get through the database', () => {
  it('requirement 15: the seeded fixture gives the exact figures of the calculator’s fixture test', async () => {
    const { service, incidents } = await seeded();
    const { figures, window } = await doraForScope(
      w.f.database.db,
      { service: service.slug, days: 30 },
      END_OF_MARCH,
    );
    expect(window).toEqual(MARCH);
    const pure = doraFigures({ deployments: REQ15_DEPLOYMENTS, incidents: REQ15_INCIDENTS, window: MARCH });
    expect(figures).toEqual({
      ...pure,
      recoveryTime: { ...pure.recoveryTime, unresolved: [incidents.get('i5')] },
    });
    expect(figures.deploymentFrequency.count).toBe(10);
    expect(figures.leadTime).toMatchObject({ count: 12, medianMinutes: 105 });
    expect(figures.changeFailureRate).toMatchObject({ deployments: 12, failed: 3, ratio: 0.25 });
    expect(figures.recoveryTime).toMatchObject({ count: 4, medianMinutes: 75 });
    expect(figures.leadTime.band?.label).toBe('High (2021)');
  });

  it('requirement 13: FAT deployments, links to them and a FAT-only incident change no figure', async () => {
    const fatRows = [
      fat('f1', mar(1, 11, 30), 'succeeded', [commit('c1', mar(1, 11))]),
      fat('f1b', mar(2, 11), 'succeeded', [commit('c2', mar(2, 10))]),
      fat('f2', mar(3), 'failed', [commit('c3', mar(3, 11, 30))]),
      fat('f4', mar(14), 'succeeded', [commit('cy', mar(14, 10))]),
      fat('f6', mar(16), 'succeeded'),
    ];
    const service = await w.fx.service();
    const deployments = await seedDeployments(w, service.slug, [...fatRows, ...REQ15_DEPLOYMENTS]);
    // i4 naming f4 (Mar 14 12:00) would start its restore a day early if FAT counted; i3 naming f2 likewise.
    const linked = REQ15_INCIDENTS.map((i) =>
      i.id === 'i4'
        ? { ...i, linkedDeploymentIds: ['f4'] }
        : i.id === 'i3'
          ? { ...i, linkedDeploymentIds: ['d4', 'f2'] }
          : i,
    );
    const incidents = await seedIncidents(w, service.id, linked, deployments);
    await seedIncidents(w, service.id, [incident('x1', mar(17, 9), mar(17, 10), ['f6'])], deployments, 'FAT');
    const { figures } = await doraForScope(w.f.database.db, { service: service.id, days: 30 }, END_OF_MARCH);
    const pure = doraFigures({ deployments: REQ15_DEPLOYMENTS, incidents: REQ15_INCIDENTS, window: MARCH });
    expect(figures).toEqual({
      ...pure,
      recoveryTime: { ...pure.recoveryTime, unresolved: [incidents.get('i5')] },
    });
  });

  it('requirement 14: CFR counts a deployment once with two incidents linked to it', async () => {
    const service = await w.fx.service();
    const rows = [deploy('a', mar(2)), deploy('b', mar(3)), deploy('c', mar(4)), deploy('d', mar(5))];
    const ids = await seedDeployments(w, service.slug, rows);
    await seedIncidents(
      w,
      service.id,
      [incident('j1', mar(3, 13), mar(3, 14), ['b']), incident('j2', mar(3, 15), mar(3, 16), ['b'])],
      ids,
    );
    const { figures } = await doraForScope(
      w.f.database.db,
      { service: service.slug, days: 30 },
      END_OF_MARCH,
    );
    expect(figures.changeFailureRate).toMatchObject({ deployments: 4, failed: 1, ratio: 0.25 });
    // Both incidents start their restore at b (12:00): 120 and 240 minutes.
    expect(figures.recoveryTime).toMatchObject({ count: 2 });
  });

  it('requirement 14: lead time uses each commit’s first PRO deployment, also when it was before the window', async () => {
    const service = await w.fx.service();
    await seedDeployments(w, service.slug, [
      deploy('early', new Date(Date.UTC(2030, 1, 20, 12)), 'succeeded', [commit('k1', mar(1, 0))]),
      // k1 again (first shipped in February): not counted in March; k2 counts (60 min); k3 has a gap ≤ 0.
      deploy('again', mar(5), 'succeeded', [
        commit('k1', mar(1, 0)),
        commit('k2', mar(5, 11)),
        commit('k3', mar(5, 12)),
      ]),
    ]);
    const { figures } = await doraForScope(
      w.f.database.db,
      { service: service.slug, days: 30 },
      END_OF_MARCH,
    );
    expect(figures.leadTime).toMatchObject({ count: 1, medianMinutes: null });
    expect(figures.insufficient.leadTime).toBe(true);
    expect(figures.deploymentFrequency.count).toBe(1);
  });

  it('requirement 15: a team is its services’ rows together, and the overview row equals dora.get', async () => {
    const { service } = await seeded();
    const team = `team-${service.slug}`;
    await w.f.database.sql`update services set owner = ${team} where id = ${service.id}`;
    const byTeam = await doraForScope(w.f.database.db, { team: team.toUpperCase(), days: 30 }, END_OF_MARCH);
    const byService = await doraForScope(w.f.database.db, { service: service.slug, days: 30 }, END_OF_MARCH);
    expect(byTeam.figures).toEqual(byService.figures);
    const overview = await doraOverview(w.f.database.db, 30, END_OF_MARCH);
    expect(overview.items.find((r) => r.serviceId === service.id)?.figures).toEqual(byService.figures);
  });

  it('refuses an unknown service, and a service with a team, before reading', async () => {
    const viewer = await w.as('viewer');
    await expect(viewer.dora.get({ service: 'no-such-service', days: 7 })).rejects.toMatchObject({
      cause: { appCode: 'SERVICE_NOT_FOUND' },
    });
    await expect(viewer.dora.get({ service: 'a', team: 'b', days: 7 })).rejects.toThrow(/not both/);
    // @ts-expect-error 14 days is not a window the dashboard offers
    await expect(viewer.dora.get({ days: 14 })).rejects.toThrow();
    const all = await viewer.dora.overview({ days: 90 });
    expect(all.days).toBe(90);
  });
});
