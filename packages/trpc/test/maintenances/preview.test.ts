import { count, schema } from '@sextant/db';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src/root';
import { previewMaintenance } from '../../src/services/maintenances';
import { createFixture, type Fixture, refusalOf } from '../fixtures';

let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
});
afterAll(async () => {
  await f?.close();
});

const maintainer = () => appRouter.createCaller(f.ctx(f.user('maintainer')));
const viewer = () => appRouter.createCaller(f.ctx(f.user('viewer')));

const weekly = {
  startsAt: new Date('2030-01-06T02:00:00Z'),
  endsAt: new Date('2030-01-06T04:00:00Z'),
  rrule: 'rrule:freq=weekly;count=8',
  timeZone: 'utc',
};

async function refused(call: Promise<unknown>) {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  return { ...refusalOf(err), reason: ((err as TRPCError).cause as { reason?: string }).reason };
}

describe('maintenances.preview', () => {
  it('answers the next five occurrences, the series size and end, in canonical form', async () => {
    const got = await maintainer().maintenances.preview(weekly);
    expect([got.rrule, got.timeZone, got.occurrences]).toEqual(['FREQ=WEEKLY;COUNT=8', 'UTC', 8]);
    expect(got.nextOccurrences.map((o) => [o.start.toISOString(), o.end.toISOString()])).toEqual(
      [6, 13, 20, 27, 34].map((d) => {
        const start = new Date(Date.UTC(2030, 0, d, 2));
        return [start.toISOString(), new Date(start.getTime() + 7_200_000).toISOString()];
      }),
    );
    expect(got.seriesEndsAt.toISOString()).toBe('2030-02-24T04:00:00.000Z');
  });

  it('keeps local time across a DST change: last Sunday of the month at 02:00 Europe/Berlin', () => {
    const got = previewMaintenance(
      {
        startsAt: new Date('2030-01-27T01:00:00Z'),
        endsAt: new Date('2030-01-27T02:00:00Z'),
        rrule: 'FREQ=MONTHLY;BYDAY=-1SU;COUNT=12',
        timeZone: 'Europe/Berlin',
      },
      new Date('2030-03-01T00:00:00Z'),
    );
    // 31 March is the change (no 02:00 that day, so no occurrence); from April 02:00 CEST is 00:00 UTC.
    expect(got.nextOccurrences.map((o) => o.start.toISOString())).toEqual(
      ['04-28', '05-26', '06-30', '07-28', '08-25'].map((d) => `2030-${d}T00:00:00.000Z`),
    );
    expect([got.occurrences, got.seriesEndsAt.toISOString()]).toEqual([12, '2031-01-26T02:00:00.000Z']);
  });

  it('a one-off window is its own single occurrence, gone from the preview once it has ended', () => {
    const oneOff = { ...weekly, rrule: null };
    expect(previewMaintenance(oneOff, new Date('2029-12-31T00:00:00Z')).nextOccurrences).toHaveLength(1);
    const after = previewMaintenance(oneOff, new Date('2030-01-06T04:00:00Z'));
    expect([after.nextOccurrences.length, after.occurrences]).toEqual([0, 1]);
  });

  it.each([
    ['a never-ending RRULE', { rrule: 'FREQ=DAILY' }, 'rrule', 'RRULE_NEVER_ENDS'],
    ['an hourly-plus RRULE', { rrule: 'FREQ=MINUTELY;COUNT=5' }, 'rrule', 'RRULE_TOO_FREQUENT'],
    ['an end before the start', { endsAt: new Date('2030-01-06T01:00:00Z') }, 'endsAt', 'ENDS_BEFORE_START'],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, 'timeZone', 'UNKNOWN_TIME_ZONE'],
  ] as const)('refuses %s with its reason and field, writing nothing', async (_, over, path, reason) => {
    const [before] = await f.database.primary.select({ n: count() }).from(schema.auditLog);
    expect(await refused(maintainer().maintenances.preview({ ...weekly, ...over }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      path,
      reason,
    });
    const [after] = await f.database.primary.select({ n: count() }).from(schema.auditLog);
    expect(after!.n).toBe(before!.n);
  });

  it('is bounded by the shared schema (RRULE length) and is for maintainers, not viewers', async () => {
    expect(
      await refused(
        maintainer().maintenances.preview({ ...weekly, rrule: `FREQ=DAILY;COUNT=1;${'X'.repeat(600)}` }),
      ),
    ).toMatchObject({ path: 'rrule' });
    await expect(viewer().maintenances.preview(weekly)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
