import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IncidentWorld, incidentWorld } from './helpers';

let w: IncidentWorld;
beforeAll(async () => {
  w = await incidentWorld();
});
afterAll(async () => {
  await w?.f.close();
});

type Row = {
  status: string;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
};
const row = async (id: string) => (await w.snapshot(id)).row as Row;
const fresh = async (title = 'Checkout errors') =>
  (await w.as('maintainer').incidents.create({ title, severity: 'SEV1' })).id;

describe('transitions stamp the lifecycle times', () => {
  it('identified acknowledges (by the caller), monitoring mitigates, resolved resolves; a reopen clears only resolved', async () => {
    const api = w.as('maintainer');
    const id = await fresh();
    expect(await row(id)).toMatchObject({ acknowledgedAt: null, mitigatedAt: null, resolvedAt: null });

    await api.incidents.transition({ id, status: 'identified' });
    const identified = await row(id);
    expect(identified.acknowledgedAt).toBeInstanceOf(Date);
    expect(identified.acknowledgedBy).toBe(w.f.users.maintainer.id);
    expect(identified).toMatchObject({ mitigatedAt: null, resolvedAt: null });

    await api.incidents.transition({ id, status: 'monitoring' });
    const monitoring = await row(id);
    expect(monitoring.acknowledgedAt).toEqual(identified.acknowledgedAt);
    expect(monitoring.mitigatedAt).toBeInstanceOf(Date);
    expect(monitoring.resolvedAt).toBeNull();

    const resolved = await api.incidents.transition({ id, status: 'resolved' });
    expect(resolved.resolvedAt).toBeInstanceOf(Date);
    expect(resolved.mitigatedAt).toEqual(monitoring.mitigatedAt);
    expect(resolved.timeToResolveMs).toBe(resolved.resolvedAt!.getTime() - resolved.startedAt.getTime());

    const reopened = await api.incidents.transition({ id, status: 'investigating' });
    expect(reopened.resolvedAt).toBeNull();
    expect(reopened.timeToResolveMs).toBeNull();
    expect(reopened.acknowledgedAt).toEqual(identified.acknowledgedAt);
    expect(reopened.mitigatedAt).toEqual(monitoring.mitigatedAt);
    expect(reopened.update).toMatchObject({ status: 'investigating', body: 'Reopened: investigating.' });

    // Reaching identified again keeps the first acknowledgement.
    await w.as('admin').incidents.transition({ id, status: 'identified' });
    expect(await row(id)).toMatchObject({
      acknowledgedAt: identified.acknowledgedAt,
      acknowledgedBy: w.f.users.maintainer.id,
    });
  });

  it('a skip straight to resolved stamps acknowledged, mitigated and resolved at one time', async () => {
    const id = await fresh();
    const r = await w.as('maintainer').incidents.transition({ id, status: 'resolved' });
    expect(r.resolvedAt).toBeInstanceOf(Date);
    expect(r.acknowledgedAt).toEqual(r.resolvedAt);
    expect(r.mitigatedAt).toEqual(r.resolvedAt);
  });

  it('a transition may carry its own timeline entry', async () => {
    const id = await fresh();
    await w.as('maintainer').incidents.transition({
      id,
      status: 'identified',
      update: { body: 'Bad deploy of **payments**.', visibility: 'internal' },
    });
    const got = await w.as('viewer').incidents.get({ id });
    expect(got.updates[0]).toMatchObject({
      status: 'identified',
      body: 'Bad deploy of **payments**.',
      visibility: 'internal',
      authorId: w.f.users.maintainer.id,
    });
  });
});

describe('incidents.acknowledge', () => {
  it('records who and when once; a second acknowledge changes nothing and audits nothing', async () => {
    const id = await fresh();
    const first = await w.as('maintainer').incidents.acknowledge({ id });
    expect(first.acknowledgedAt).toBeInstanceOf(Date);
    expect(first.acknowledgedBy).toBe(w.f.users.maintainer.id);
    expect(first.status).toBe('investigating');
    const before = await w.snapshot(id);
    expect(
      before.audit.filter((a) => (a as { action: string }).action === 'incident.acknowledge'),
    ).toHaveLength(1);
    const second = await w.as('admin').incidents.acknowledge({ id });
    expect(second.acknowledgedAt).toEqual(first.acknowledgedAt);
    expect(await w.snapshot(id)).toEqual(before);
    // Identified later keeps the acknowledgement made first.
    await w.as('admin').incidents.transition({ id, status: 'identified' });
    expect(await row(id)).toMatchObject({
      acknowledgedAt: first.acknowledgedAt,
      acknowledgedBy: w.f.users.maintainer.id,
    });
  });

  it('by an API key: no user is recorded, the audit names the key', async () => {
    const id = await fresh();
    const r = await w.as('maintainer', 'key').incidents.acknowledge({ id });
    expect(r.acknowledgedAt).toBeInstanceOf(Date);
    expect(r.acknowledgedBy).toBeNull();
    const { audit } = await w.snapshot(id);
    expect(audit.at(-1)).toMatchObject({ action: 'incident.acknowledge', actorType: 'api_key' });
  });
});

describe('every mutation writes one audit entry in its transaction', () => {
  it('create, update, transition, acknowledge, postUpdate and setImpacts', async () => {
    const api = w.as('maintainer');
    const service = await w.fx.service();
    const environment = await w.fx.environment();
    const created = await api.incidents.create({
      title: 'Audited',
      severity: 'SEV3',
      impacts: [{ serviceId: service.id, environmentId: environment.id, impact: 'partial_outage' }],
      update: { body: 'Looking into it.', visibility: 'public' },
    });
    const id = created.id;
    expect(created.impacts).toHaveLength(1);
    expect(created.updates).toHaveLength(1);
    await api.incidents.update({
      id,
      incident: { severity: 'SEV2', postmortemSummary: 'A bad config push.' },
    });
    await api.incidents.acknowledge({ id });
    await api.incidents.postUpdate({ id, body: 'Rolled back.', visibility: 'internal' });
    await api.incidents.setImpacts({
      id,
      impacts: [{ serviceId: service.id, environmentId: environment.id, impact: 'major_outage' }],
    });
    await api.incidents.transition({ id, status: 'resolved' });
    const { audit, updates, impacts } = await w.snapshot(id);
    expect(audit.map((a) => (a as { action: string }).action)).toEqual([
      'incident.create',
      'incident.update',
      'incident.acknowledge',
      'incident.post_update',
      'incident.set_impacts',
      'incident.transition',
    ]);
    for (const a of audit)
      expect(a).toMatchObject({
        actorType: 'user',
        actorId: w.f.users.maintainer.id,
        targetType: 'incident',
      });
    expect(updates).toHaveLength(3);
    expect(impacts).toEqual([expect.objectContaining({ impact: 'major_outage' })]);

    const got = await w.as('viewer').incidents.get({ id });
    expect(got.updates.map((u) => u.body)).toEqual([
      'Status changed from investigating to resolved.',
      'Rolled back.',
      'Looking into it.',
    ]);
    expect(got.updates.map((u) => u.status)).toEqual(['resolved', 'investigating', 'investigating']);
    expect(got.impacts).toEqual([
      expect.objectContaining({
        serviceId: service.id,
        serviceSlug: service.slug,
        environmentName: environment.name,
      }),
    ]);
    expect(got).toMatchObject({
      severity: 'SEV2',
      postmortemSummary: 'A bad config push.',
      status: 'resolved',
    });
    await api.incidents.update({ id, incident: { postmortemSummary: '  ', postmortemRootCause: 'Config.' } });
    expect((await w.snapshot(id)).row).toMatchObject({
      postmortemSummary: null,
      postmortemRootCause: 'Config.',
    });
  });
});
