import { schema } from '@sextant/db';
import { httpConfig } from '@sextant/db/check-config';
import type { MonitorStatus } from '@sextant/db/enums';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../src/root';
import { createFixture, type Fixture } from './fixtures';

let f: Fixture;

beforeAll(async () => {
  f = await createFixture();
});
afterAll(async () => {
  await f?.close();
});

type Status = Exclude<MonitorStatus, 'paused'>;

/** A service whose one check is in `status` (or with no monitor at all). */
async function serviceIn(name: string, environmentId: string, status: Status | null) {
  const [service] = await f.database.primary
    .insert(schema.services)
    .values({ name, slug: name.toLowerCase() })
    .returning();
  if (status) {
    await f.database.primary.insert(schema.checks).values({
      serviceId: service!.id,
      environmentId,
      name: `${name} health`,
      kind: 'http',
      config: httpConfig.parse({ url: 'https://example.com/' }),
      intervalSeconds: 60,
      phaseOffsetMs: 0,
      nextRunAt: new Date(),
      status,
    });
  }
  return service!;
}

describe('overview.get', () => {
  it('lists services worst state first (down, degraded, then the rest), with counts and the latest changes', async () => {
    const [env] = await f.database.primary
      .insert(schema.environments)
      .values({ name: 'OVERVIEW', position: 99 })
      .returning();
    // Named so that alphabetical order would put the healthy ones first.
    await serviceIn('Alpha', env!.id, 'up');
    await serviceIn('Bravo', env!.id, null);
    await serviceIn('Charlie', env!.id, 'degraded');
    const zulu = await serviceIn('Zulu', env!.id, 'down');
    await serviceIn('Yankee', env!.id, 'down');
    const [check] = await f.database.primary.select().from(schema.checks).limit(1);
    await f.database.primary.insert(schema.monitorEvents).values([
      {
        serviceId: zulu.id,
        checkId: null,
        fromStatus: 'unknown',
        toStatus: 'up',
        at: new Date(Date.now() - 60_000),
      },
      { serviceId: zulu.id, checkId: check!.id, fromStatus: 'up', toStatus: 'down', cause: 'HTTP 503' },
    ]);

    const result = await appRouter.createCaller(f.ctx(f.apiKey('viewer'))).overview.get();
    expect(result.services.map((s) => [s.name, s.status.status])).toEqual([
      ['Yankee', 'down'],
      ['Zulu', 'down'],
      ['Charlie', 'degraded'],
      ['Bravo', 'unknown'],
      ['Alpha', 'up'],
    ]);
    expect(result.counts).toEqual({ down: 2, degraded: 1, unknown: 1, up: 1 });
    expect(result.events.map((e) => [e.service.name, e.from, e.to, e.monitor])).toEqual([
      ['Zulu', 'up', 'down', check!.name],
      ['Zulu', 'unknown', 'up', null],
    ]);
    expect(result.events[0]!.cause).toBe('HTTP 503');
  });
});
