/**
 * Uptime through the real load (issue 15): a maintenance window of one service × environment excludes its time
 * from that pair's monitors only; a cancelled window excludes nothing.
 */
import { eq, schema } from '@sextant/db';
import { httpConfig } from '@sextant/db/check-config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uptimeByWindow } from '../src/services/uptime';
import { createFixture, type Fixture } from './fixtures';

let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
});
afterAll(async () => {
  await f?.close();
});

const t = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));

describe('uptime and maintenance windows', () => {
  it('a window over api × UPTIME-PROD excludes 30–50 of its check (DOWN 20–40) but not the UPTIME-STAGE check', async () => {
    const db = f.database.primary;
    const [service] = await db
      .insert(schema.services)
      .values({ name: 'Uptime API', slug: 'uptime-api' })
      .returning();
    const [prod, stage] = await db
      .insert(schema.environments)
      .values([
        { name: 'UPTIME-PROD', position: 80 },
        { name: 'UPTIME-STAGE', position: 81 },
      ])
      .returning();
    const check = (environmentId: string, name: string) =>
      db
        .insert(schema.checks)
        .values({
          serviceId: service!.id,
          environmentId,
          name,
          kind: 'http',
          config: httpConfig.parse({ url: 'https://example.com/' }),
          intervalSeconds: 60,
          phaseOffsetMs: 0,
          nextRunAt: t(0),
          status: 'up',
          createdAt: t(-10),
        })
        .returning();
    const [inProd] = await check(prod!.id, 'prod health');
    const [inStage] = await check(stage!.id, 'stage health');
    for (const c of [inProd!, inStage!])
      await db.insert(schema.monitorEvents).values([
        { serviceId: service!.id, checkId: c.id, fromStatus: 'unknown', toStatus: 'up', at: t(-5) },
        { serviceId: service!.id, checkId: c.id, fromStatus: 'up', toStatus: 'down', at: t(20) },
        { serviceId: service!.id, checkId: c.id, fromStatus: 'down', toStatus: 'up', at: t(40) },
      ]);
    const [window] = await db
      .insert(schema.maintenances)
      .values({
        title: 'move',
        startsAt: t(30),
        endsAt: t(50),
        timeZone: 'Europe/Berlin',
        seriesEndsAt: t(50),
      })
      .returning();
    await db.insert(schema.maintenanceTargets).values({
      maintenanceId: window!.id,
      serviceId: service!.id,
      environmentId: prod!.id,
    });
    const w = { w: { from: t(0), to: t(100) } };
    const one = async (monitorId: string) => (await uptimeByWindow(f.database.sql, { monitorId }, w))!.w!;
    const p = await one(inProd!.id);
    expect([p.upSeconds, p.downSeconds, p.excludedSeconds]).toEqual([70 * 60, 10 * 60, 20 * 60]);
    expect((await one(inStage!.id)).uptime).toBeCloseTo(80 / 100, 10);
    // Both checks together: (70 + 80) / (80 + 100).
    const both = (await uptimeByWindow(f.database.sql, { serviceIds: [service!.id] }, w))!.w!;
    expect(both.uptime).toBeCloseTo(150 / 180, 10);
    await db
      .update(schema.maintenances)
      .set({ cancelledAt: t(35) })
      .where(eq(schema.maintenances.id, window!.id));
    expect((await one(inProd!.id)).uptime).toBeCloseTo(80 / 100, 10);
  });
});
