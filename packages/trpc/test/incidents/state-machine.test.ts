import { INCIDENT_STATUSES, type IncidentStatus } from '@sextant/db/enums';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_TRANSITIONS, isLegalTransition } from '../../src/schemas/incidents';
import { type IncidentWorld, incidentWorld, refusal } from './helpers';

let w: IncidentWorld;
beforeAll(async () => {
  w = await incidentWorld();
});
afterAll(async () => {
  await w?.f.close();
});

/** The legal path from a fresh incident to `status`. */
const PATH: Record<IncidentStatus, IncidentStatus[]> = {
  investigating: [],
  identified: ['identified'],
  monitoring: ['identified', 'monitoring'],
  resolved: ['identified', 'monitoring', 'resolved'],
};

async function incidentIn(status: IncidentStatus) {
  const api = w.as('maintainer');
  const { id } = await api.incidents.create({ title: `In ${status}`, severity: 'SEV2' });
  for (const step of PATH[status]) await api.incidents.transition({ id, status: step });
  return id;
}

const PAIRS = INCIDENT_STATUSES.flatMap((from) => INCIDENT_STATUSES.map((to) => [from, to] as const));

describe('the transition table', () => {
  it('allows forward moves, skips included, and only the reopen backwards', () => {
    const legal = PAIRS.filter(([from, to]) => isLegalTransition(from, to)).map(([a, b]) => `${a}→${b}`);
    expect(legal).toEqual([
      'investigating→identified',
      'investigating→monitoring',
      'investigating→resolved',
      'identified→monitoring',
      'identified→resolved',
      'monitoring→resolved',
      'resolved→investigating',
    ]);
    expect(Object.keys(INCIDENT_TRANSITIONS)).toEqual([...INCIDENT_STATUSES]);
  });
});

describe('incidents.transition over every pair', () => {
  for (const [from, to] of PAIRS.filter(([a, b]) => isLegalTransition(a, b))) {
    it(`${from} → ${to} moves, writes a timeline entry with the new status and audits it`, async () => {
      const id = await incidentIn(from);
      const before = await w.snapshot(id);
      const result = await w.as('maintainer').incidents.transition({ id, status: to });
      expect(result.status).toBe(to);
      const after = await w.snapshot(id);
      expect((after.row as { status: string }).status).toBe(to);
      const known = new Set(before.updates.map((u) => (u as { id: string }).id));
      const added = after.updates.filter((u) => !known.has((u as { id: string }).id));
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({ status: to, visibility: 'public', incidentId: id });
      expect(after.audit.length - before.audit.length).toBe(1);
      expect(after.audit.at(-1)).toMatchObject({ action: 'incident.transition', targetType: 'incident' });
    });
  }

  for (const [from, to] of PAIRS.filter(([a, b]) => !isLegalTransition(a, b))) {
    it(`${from} → ${to} is refused with INCIDENT_ILLEGAL_TRANSITION and changes nothing`, async () => {
      const id = await incidentIn(from);
      const before = await w.snapshot(id);
      const r = await refusal(
        w.as('maintainer').incidents.transition({
          id,
          status: to,
          update: { body: 'Should not be stored.', visibility: 'internal' },
        }),
      );
      expect(r.code).toBe('INCIDENT_ILLEGAL_TRANSITION');
      expect(r.message).toBe(`An incident cannot go from ${from} to ${to}.`);
      expect(await w.snapshot(id)).toEqual(before);
    });
  }

  it('two racing moves from the same state: the row lock lets one win, the other sees the new state', async () => {
    const id = await incidentIn('investigating');
    const results = await Promise.allSettled([
      w.as('maintainer').incidents.transition({ id, status: 'resolved' }),
      w.as('admin').incidents.transition({ id, status: 'resolved' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((await refusal(Promise.reject(lost.reason))).message).toBe(
      'An incident cannot go from resolved to resolved.',
    );
    const { updates, audit } = await w.snapshot(id);
    expect(updates.filter((u) => (u as { status: string }).status === 'resolved')).toHaveLength(1);
    expect(audit.filter((a) => (a as { action: string }).action === 'incident.transition')).toHaveLength(1);
  });

  it('refuses an unknown incident with NOT_FOUND', async () => {
    const r = await refusal(
      w
        .as('maintainer')
        .incidents.transition({ id: '00000000-0000-4000-8000-0000000000aa', status: 'resolved' }),
    );
    expect(r.code).toBe('NOT_FOUND');
  });

  it('is refused to a viewer', async () => {
    const id = await incidentIn('investigating');
    const before = await w.snapshot(id);
    await expect(w.as('viewer').incidents.transition({ id, status: 'identified' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await w.snapshot(id)).toEqual(before);
  });
});
