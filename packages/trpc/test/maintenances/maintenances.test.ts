import { count, desc, eq, schema } from '@sextant/db';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src/root';
import type { MaintenanceInput } from '../../src/schemas/maintenances';
import { activeMaintenanceTargets, listMaintenances } from '../../src/services/maintenances';
import { createFixture, type Fixture, refusalOf } from '../fixtures';

let f: Fixture;
let envA: string;
let envB: string;
const HOUR = 3_600_000;
let n = 0;
const unique = (p: string) => `${p}-${++n}-${process.pid}`;

beforeAll(async () => {
  f = await createFixture();
  const envs = await f.database.primary
    .insert(schema.environments)
    .values([
      { name: 'Maint DEV', position: 1 },
      { name: 'Maint PRO', position: 2, isProduction: true },
    ])
    .returning();
  [envA, envB] = [envs[0]!.id, envs[1]!.id];
});
afterAll(async () => {
  await f?.close();
});

const maintainer = () => appRouter.createCaller(f.ctx(f.user('maintainer')));
const viewer = () => appRouter.createCaller(f.ctx(f.user('viewer')));

async function service() {
  const name = unique('Maint service');
  const [row] = await f.database.primary
    .insert(schema.services)
    .values({ name, slug: name.toLowerCase() })
    .returning();
  return row!.id;
}

async function input(over: Partial<MaintenanceInput> = {}): Promise<MaintenanceInput> {
  return {
    title: unique('Database upgrade'),
    description: 'Planned.',
    startsAt: new Date('2026-06-01T10:00:00Z'),
    endsAt: new Date('2026-06-01T11:00:00Z'),
    rrule: 'FREQ=DAILY;COUNT=3',
    timeZone: 'UTC',
    announceAheadMinutes: 1440,
    targets: [{ serviceId: await service(), environmentId: envA }],
    ...over,
  };
}

async function counts() {
  const db = f.database.primary;
  const [m] = await db.select({ n: count() }).from(schema.maintenances);
  const [t] = await db.select({ n: count() }).from(schema.maintenanceTargets);
  const [a] = await db.select({ n: count() }).from(schema.auditLog);
  return { maintenances: m!.n, targets: t!.n, audit: a!.n };
}

async function auditOf(id: string) {
  return f.database.primary
    .select()
    .from(schema.auditLog)
    .where(eq(schema.auditLog.targetId, id))
    .orderBy(desc(schema.auditLog.id));
}

/** The refusal's appCode, field and schedule reason. */
async function refused(call: Promise<unknown>) {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  const cause = (err as TRPCError).cause as { reason?: string } | undefined;
  return { ...refusalOf(err), reason: cause?.reason };
}

describe('mutations are audited in their transaction', () => {
  it('create, update, cancel each write one entry; a repeated cancel writes none', async () => {
    const svc2 = await service();
    const made = await maintainer().maintenances.create(await input());
    expect(made.durationMinutes).toBe(60);
    expect(made.seriesEndsAt.toISOString()).toBe('2026-06-03T11:00:00.000Z');
    let log = await auditOf(made.id);
    expect(log.map((e) => e.action)).toEqual(['maintenance.create']);
    expect(log[0]!.actorLabel).toBe('maintainer@test.local');

    const updated = await maintainer().maintenances.update({
      id: made.id,
      maintenance: { title: 'Renamed', targets: [{ serviceId: svc2, environmentId: envB }] },
    });
    expect(updated.title).toBe('Renamed');
    expect(updated.rrule).toBe('FREQ=DAILY;COUNT=3');
    const shown = await viewer().maintenances.get({ id: made.id });
    expect(shown.targets.map((t) => [t.serviceId, t.environmentName])).toEqual([[svc2, 'Maint PRO']]);
    log = await auditOf(made.id);
    expect(log.map((e) => e.action)).toEqual(['maintenance.update', 'maintenance.create']);
    expect((log[0]!.diff as { before: { title: string } }).before.title).toBe(made.title);

    await maintainer().maintenances.cancel({ id: made.id });
    await maintainer().maintenances.cancel({ id: made.id });
    log = await auditOf(made.id);
    expect(log.map((e) => e.action)).toEqual([
      'maintenance.cancel',
      'maintenance.update',
      'maintenance.create',
    ]);
    expect(
      await refused(maintainer().maintenances.update({ id: made.id, maintenance: { title: 'Again' } })),
    ).toMatchObject({ code: 'CONFLICT' });
  });

  it('get lists the next occurrences, in UTC, of a window in its zone', async () => {
    const made = await maintainer().maintenances.create(
      await input({
        startsAt: new Date('2027-03-26T01:30:00Z'),
        endsAt: new Date('2027-03-26T02:00:00Z'),
        rrule: 'rrule:freq=daily;count=4',
        timeZone: 'europe/berlin',
      }),
    );
    expect([made.timeZone, made.rrule]).toEqual(['Europe/Berlin', 'FREQ=DAILY;COUNT=4']);
    const got = await viewer().maintenances.get({ id: made.id });
    // 28 March 2027 is the change: no 02:30 that day (skipped, not counted), then 02:30 CEST is 00:30 UTC.
    expect(got.nextOccurrences.map((o) => o.start.toISOString())).toEqual([
      '2027-03-26T01:30:00.000Z',
      '2027-03-27T01:30:00.000Z',
      '2027-03-29T00:30:00.000Z',
      '2027-03-30T00:30:00.000Z',
    ]);
  });
});

describe('bad input is refused with a code, nothing written', () => {
  it.each([
    ['a never-ending RRULE', { rrule: 'FREQ=DAILY' }, 'rrule', 'RRULE_NEVER_ENDS'],
    ['an every-second RRULE', { rrule: 'FREQ=SECONDLY;COUNT=5' }, 'rrule', 'RRULE_TOO_FREQUENT'],
    ['an end before the start', { endsAt: new Date('2026-06-01T09:00:00Z') }, 'endsAt', 'ENDS_BEFORE_START'],
    ['an unknown time zone', { timeZone: 'Europe/Atlantis' }, 'timeZone', 'UNKNOWN_TIME_ZONE'],
  ] as const)('%s', async (_, over, path, reason) => {
    const before = await counts();
    const bad = await input(over as Partial<MaintenanceInput>);
    expect(await refused(maintainer().maintenances.create(bad))).toMatchObject({
      code: 'VALIDATION_FAILED',
      path,
      reason,
    });
    expect(await counts()).toEqual(before);
  });

  it('an unknown service or environment id', async () => {
    const before = await counts();
    const missing = '00000000-0000-4000-8000-0000000000aa';
    const good = { serviceId: await service(), environmentId: envA };
    expect(
      await refused(
        maintainer().maintenances.create(
          await input({ targets: [good, { serviceId: missing, environmentId: envA }] }),
        ),
      ),
    ).toMatchObject({ code: 'NOT_FOUND', path: 'targets.1.serviceId' });
    expect(
      await refused(
        maintainer().maintenances.create(await input({ targets: [{ ...good, environmentId: missing }] })),
      ),
    ).toMatchObject({ code: 'NOT_FOUND', path: 'targets.0.environmentId' });
    expect(await counts()).toEqual(before);
  });

  it('a bad update leaves the window and the log as they were', async () => {
    const made = await maintainer().maintenances.create(await input());
    const before = await counts();
    expect(
      await refused(maintainer().maintenances.update({ id: made.id, maintenance: { rrule: 'FREQ=HOURLY' } })),
    ).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'RRULE_NEVER_ENDS' });
    expect(await counts()).toEqual(before);
    expect((await viewer().maintenances.get({ id: made.id })).rrule).toBe('FREQ=DAILY;COUNT=3');
  });

  it('unbounded input: a long title or RRULE, too many or duplicate targets, a time past 2100', async () => {
    const t = { serviceId: await service(), environmentId: envA };
    for (const over of [
      { title: 'x'.repeat(201) },
      { targets: Array(201).fill(t) },
      { targets: [t, t] },
      { rrule: `FREQ=DAILY;COUNT=2;${'BYHOUR=1;'.repeat(60)}` },
      { startsAt: new Date('2150-01-01T00:00:00Z') },
    ]) {
      expect(await refused(maintainer().maintenances.create(await input(over)))).toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    }
  });
});

describe('list and activeMaintenanceTargets', () => {
  it('sorts windows into active, upcoming and past at a given time', async () => {
    const now = Date.now();
    const at = (ms: number) => new Date(Math.floor((now + ms) / 60_000) * 60_000);
    const m = maintainer().maintenances;
    const active = await m.create(await input({ startsAt: at(-HOUR), endsAt: at(HOUR), rrule: null }));
    const between = await m.create(
      await input({ startsAt: at(-5 * HOUR), endsAt: at(-4 * HOUR), rrule: 'FREQ=DAILY;COUNT=2' }),
    );
    const past = await m.create(
      await input({ startsAt: at(-50 * HOUR), endsAt: at(-49 * HOUR), rrule: null }),
    );
    const cancelled = await m.create(await input({ startsAt: at(HOUR), endsAt: at(2 * HOUR), rrule: null }));
    await m.cancel({ id: cancelled.id });
    const ids = new Set([active.id, between.id, past.id, cancelled.id]);
    const mine = async (state: 'active' | 'upcoming' | 'past') =>
      (await listMaintenances(f.database.primary, state, new Date(now))).filter((r) => ids.has(r.id));
    expect((await mine('active')).map((r) => r.id)).toEqual([active.id]);
    const upcoming = await mine('upcoming');
    expect(upcoming.map((r) => r.id)).toEqual([between.id]);
    expect(upcoming[0]!.occurrence!.start.getTime()).toBe(at(-5 * HOUR).getTime() + 24 * HOUR);
    expect((await mine('past')).map((r) => r.id).sort()).toEqual([past.id, cancelled.id].sort());
    expect((await viewer().maintenances.list({ state: 'active' })).some((r) => r.id === active.id)).toBe(
      true,
    );
  });

  it('answers which service × environment pairs are in maintenance now', async () => {
    const [s1, s2] = [await service(), await service()];
    const daily = await maintainer().maintenances.create(
      await input({
        startsAt: new Date('2025-02-01T10:00:00Z'),
        endsAt: new Date('2025-02-01T11:00:00Z'),
        targets: [
          { serviceId: s1, environmentId: envA },
          { serviceId: s2, environmentId: envB },
        ],
      }),
    );
    const other = await maintainer().maintenances.create(
      await input({
        startsAt: new Date('2025-02-02T10:30:00Z'),
        endsAt: new Date('2025-02-02T12:00:00Z'),
        rrule: null,
        targets: [{ serviceId: s1, environmentId: envB }],
      }),
    );
    const ours = new Set([daily.id, other.id]);
    const pairs = async (iso: string) =>
      (await activeMaintenanceTargets(f.database.sql, Date.parse(iso)))
        .filter((r) => ours.has(r.maintenanceId))
        .map(
          (r) =>
            `${r.serviceId === s1 ? 's1' : 's2'}/${r.environmentId === envA ? 'A' : 'B'} until ${r.until.toISOString().slice(11, 16)}`,
        )
        .sort();
    expect(await pairs('2025-02-02T10:45:00Z')).toEqual([
      's1/A until 11:00',
      's1/B until 12:00',
      's2/B until 11:00',
    ]);
    expect(await pairs('2025-02-02T11:00:00Z')).toEqual(['s1/B until 12:00']);
    expect(await pairs('2025-02-02T09:59:59Z')).toEqual([]);
    expect(await pairs('2025-02-03T10:00:00Z')).toEqual(['s1/A until 11:00', 's2/B until 11:00']);
    expect(await pairs('2025-02-04T10:00:00Z')).toEqual([]);
    // Cancelling keeps occurrences that already happened (history, uptime) and ends the running one now.
    await maintainer().maintenances.cancel({ id: daily.id });
    expect(await pairs('2025-02-03T10:00:00Z')).toEqual(['s1/A until 11:00', 's2/B until 11:00']);
    const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000);
    const running = await maintainer().maintenances.create(
      await input({ startsAt: start, endsAt: new Date(start.getTime() + HOUR), rrule: null }),
    );
    const isOn = async (ms: number) =>
      (await activeMaintenanceTargets(f.database.sql, ms)).some((r) => r.maintenanceId === running.id);
    expect(await isOn(Date.now())).toBe(true);
    const { cancelledAt } = await maintainer().maintenances.cancel({ id: running.id });
    expect(await isOn(cancelledAt!.getTime() - 1)).toBe(true);
    expect(await isOn(cancelledAt!.getTime())).toBe(false);
  });
});
