import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spanFigures } from '../../src/services/incident-times';
import { type IncidentWorld, incidentWorld, refusal } from './helpers';

let w: IncidentWorld;
beforeAll(async () => {
  w = await incidentWorld();
});
afterAll(async () => {
  await w?.f.close();
});

const MIN = 60_000;
const api = () => w.as('maintainer');

/** An incident on the given pairs whose lifecycle times are set to minutes before now. */
async function incidentAt(
  pairs: { serviceId: string; environmentId: string }[],
  t: { started: number; detected: number; acknowledged: number | null; resolved: number | null },
) {
  const { id } = await api().incidents.create({
    title: 'Stats',
    severity: 'SEV2',
    impacts: pairs.map((p) => ({ ...p, impact: 'partial_outage' as const })),
  });
  const ago = (m: number | null) => (m === null ? null : new Date(Date.now() - m * MIN));
  await w.f.database.sql`
    update incidents set started_at = ${ago(t.started)}, detected_at = ${ago(t.detected)},
      acknowledged_at = ${ago(t.acknowledged)}, resolved_at = ${ago(t.resolved)},
      status = ${t.resolved === null ? 'investigating' : 'resolved'}
    where id = ${id}`;
  return id;
}

describe('spanFigures', () => {
  it('takes the median of an even count as the mean of the middle two, and leaves nulls out', () => {
    expect(spanFigures([4, null, 1, 3, 10])).toEqual({ count: 4, medianMs: 3.5, meanMs: 4.5 });
    expect(spanFigures([null])).toEqual({ count: 0, medianMs: null, meanMs: null });
  });
});

describe('incidents.stats: time to acknowledge and to resolve per service', () => {
  it('counts an incident once per service across environments, and hand-computed medians and means', async () => {
    const a = (await w.fx.service()).id;
    const b = (await w.fx.service()).id;
    const envs = await w.f.database.sql<
      { id: string }[]
    >`select id from environments order by position limit 2`;
    const [e1, e2] = envs.map((e) => e.id) as [string, string];
    // A: detected→ack 5, 15 and (open, unacknowledged); started→resolved 60, 120.
    await incidentAt(
      [
        { serviceId: a, environmentId: e1 },
        { serviceId: a, environmentId: e2 },
      ],
      { started: 200, detected: 190, acknowledged: 185, resolved: 140 },
    );
    await incidentAt(
      [
        { serviceId: a, environmentId: e1 },
        { serviceId: b, environmentId: e1 },
      ],
      {
        started: 300,
        detected: 300,
        acknowledged: 285,
        resolved: 180,
      },
    );
    await incidentAt([{ serviceId: a, environmentId: e1 }], {
      started: 20,
      detected: 10,
      acknowledged: null,
      resolved: null,
    });
    // Older than the window: left out.
    await incidentAt([{ serviceId: b, environmentId: e1 }], {
      started: 8 * 24 * 60,
      detected: 8 * 24 * 60,
      acknowledged: 8 * 24 * 60 - 1,
      resolved: 8 * 24 * 60 - 2,
    });

    const stats = await w.as('viewer').incidents.stats({ days: 7 });
    const ofA = stats.find((s) => s.serviceId === a)!;
    const ofB = stats.find((s) => s.serviceId === b)!;
    expect(ofA.incidents).toBe(3);
    expect(ofA.timeToAcknowledge).toEqual({ count: 2, medianMs: 10 * MIN, meanMs: 10 * MIN });
    expect(ofA.timeToResolve).toEqual({ count: 2, medianMs: 90 * MIN, meanMs: 90 * MIN });
    expect(ofB.incidents).toBe(1);
    expect(ofB.timeToAcknowledge).toMatchObject({ count: 1, medianMs: 15 * MIN });
    expect(ofB.timeToResolve).toMatchObject({ count: 1, medianMs: 120 * MIN });
    // Most incidents first; one service on its own when asked.
    expect(stats.findIndex((s) => s.serviceId === a)).toBeLessThan(stats.findIndex((s) => s.serviceId === b));
    const onlyB = await w.as('viewer').incidents.stats({ days: 30, serviceId: b });
    expect(onlyB.map((s) => [s.serviceId, s.incidents])).toEqual([[b, 2]]);
  });

  it('refuses a window it does not offer', async () => {
    const r = await refusal(w.as('viewer').incidents.stats({ days: 12 as 7 }));
    expect(r.code).toBe('VALIDATION_FAILED');
  });
});
