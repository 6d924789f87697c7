import type { IncidentSeverity } from '@sextant/db/enums';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IncidentWorld, incidentWorld, refusal } from './helpers';

let w: IncidentWorld;
/** Made here, newest start first: this file's database holds no other incidents. */
const made: { id: string; severity: IncidentSeverity; resolved: boolean; startedAt: Date }[] = [];
const BASE = Date.UTC(2026, 5, 1);

beforeAll(async () => {
  w = await incidentWorld();
  const api = w.as('maintainer');
  const severities: IncidentSeverity[] = ['SEV1', 'SEV2', 'SEV3', 'SEV4'];
  for (let i = 0; i < 11; i++) {
    // Two share a start time, so the id breaks the tie across a page boundary.
    const startedAt = new Date(BASE + Math.min(i, 9) * 60_000);
    const severity = severities[i % 4]!;
    const { id } = await api.incidents.create({
      title: `Incident ${i}`,
      severity,
      startedAt,
      detectedAt: startedAt,
    });
    const resolved = i % 3 === 0;
    if (resolved) await api.incidents.transition({ id, status: 'resolved' });
    made.push({ id, severity, resolved, startedAt });
  }
  made.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : -1));
});
afterAll(async () => {
  await w?.f.close();
});

async function walk(input: { state?: 'open' | 'resolved'; severity?: IncidentSeverity[] }, limit: number) {
  const api = w.as('viewer');
  const ids: string[] = [];
  let cursor: { startedAt: Date; id: string } | undefined;
  for (let page = 0; page < 20; page++) {
    const r = await api.incidents.list({ ...input, limit, cursor });
    expect(r.items.length).toBeLessThanOrEqual(limit);
    ids.push(...r.items.map((i) => i.id));
    if (!r.nextCursor) return ids;
    cursor = r.nextCursor;
  }
  throw new Error('pagination did not end');
}

describe('incidents.list', () => {
  it('pages newest start first, keyset by (started_at, id), every incident once', async () => {
    const all = made.map((m) => m.id);
    expect(await walk({}, 100)).toEqual(all);
    for (const limit of [1, 2, 3, 4]) expect(await walk({}, limit)).toEqual(all);
  });

  it('filters open and resolved', async () => {
    expect(await walk({ state: 'open' }, 2)).toEqual(made.filter((m) => !m.resolved).map((m) => m.id));
    expect(await walk({ state: 'resolved' }, 2)).toEqual(made.filter((m) => m.resolved).map((m) => m.id));
  });

  it('filters by severity, with state', async () => {
    const want = made.filter((m) => m.severity === 'SEV1' || m.severity === 'SEV3');
    expect(await walk({ severity: ['SEV1', 'SEV3'] }, 2)).toEqual(want.map((m) => m.id));
    expect(await walk({ severity: ['SEV1'], state: 'resolved' }, 1)).toEqual(
      made.filter((m) => m.severity === 'SEV1' && m.resolved).map((m) => m.id),
    );
  });

  it('gives each item its durations', async () => {
    const { items } = await w.as('viewer').incidents.list({ state: 'resolved', limit: 1 });
    const item = items[0]!;
    expect(item.timeToResolveMs).toBe(item.resolvedAt!.getTime() - item.startedAt.getTime());
    expect(item.timeToAcknowledgeMs).toBe(item.acknowledgedAt!.getTime() - item.detectedAt.getTime());
  });

  // Runs after the walks above: the incident it makes starts after all of theirs.
  it("counts each item's affected services, an environment more not counted twice", async () => {
    const [a, b] = [await w.fx.service(), await w.fx.service()];
    const [prod, staging] = await w.fx.environmentIds();
    const impact = 'partial_outage' as const;
    const { id } = await w.as('maintainer').incidents.create({
      title: 'Two services',
      severity: 'SEV2',
      startedAt: new Date(BASE + 3_600_000),
      impacts: [
        { serviceId: a.id, environmentId: prod!, impact },
        { serviceId: a.id, environmentId: staging!, impact },
        { serviceId: b.id, environmentId: prod!, impact },
      ],
    });
    const { items } = await w.as('viewer').incidents.list({ limit: 2 });
    expect(items.map((i) => [i.id, i.affectedServices])).toEqual([
      [id, 2],
      [made[0]!.id, 0],
    ]);
  });

  it('refuses a page size above the limit', async () => {
    expect((await refusal(w.as('viewer').incidents.list({ limit: 201 }))).code).toBe('VALIDATION_FAILED');
  });
});
