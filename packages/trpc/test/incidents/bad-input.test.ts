import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_LIMITS } from '../../src/limits';
import { type IncidentWorld, incidentWorld, refusal } from './helpers';

let w: IncidentWorld;
let serviceId: string;
let environmentId: string;
beforeAll(async () => {
  w = await incidentWorld();
  serviceId = (await w.fx.service()).id;
  environmentId = (await w.fx.environment()).id;
});
afterAll(async () => {
  await w?.f.close();
});

const NOWHERE = '00000000-0000-4000-8000-00000000dead';
const HUNDRED_KB = `# Logs\n${'x'.repeat(100 * 1024)}`;
const api = () => w.as('maintainer');
const impact = (over: Partial<{ serviceId: string; environmentId: string }> = {}) => ({
  serviceId,
  environmentId,
  impact: 'partial_outage' as const,
  ...over,
});

describe('100 KB of markdown', () => {
  it('is refused by postUpdate with VALIDATION_FAILED on body, naming the limit; nothing is written', async () => {
    const { id } = await api().incidents.create({ title: 'Big logs', severity: 'SEV3' });
    const before = await w.snapshot(id);
    const r = await refusal(api().incidents.postUpdate({ id, body: HUNDRED_KB, visibility: 'public' }));
    expect(r).toMatchObject({ code: 'VALIDATION_FAILED', path: 'body' });
    // The caller sees zod's issue; over HTTP the formatter puts it in data.zodError next to the field.
    expect(r.message).toContain(
      `An update is at most 20,000 characters; this one has ${HUNDRED_KB.length.toLocaleString('en-US')}.`,
    );
    expect(await w.snapshot(id)).toEqual(before);
  });

  it('is refused inside create and transition too, with nothing half-written', async () => {
    const counts = await w.counts();
    const r = await refusal(
      api().incidents.create({
        title: 'With a huge first update',
        severity: 'SEV2',
        impacts: [impact()],
        update: { body: HUNDRED_KB, visibility: 'public' },
      }),
    );
    expect(r).toMatchObject({ code: 'VALIDATION_FAILED', path: 'update.body' });
    expect(await w.counts()).toEqual(counts);

    const { id } = await api().incidents.create({ title: 'Then a huge transition note', severity: 'SEV2' });
    const before = await w.snapshot(id);
    const t = await refusal(
      api().incidents.transition({
        id,
        status: 'resolved',
        update: { body: HUNDRED_KB, visibility: 'public' },
      }),
    );
    expect(t).toMatchObject({ code: 'VALIDATION_FAILED', path: 'update.body' });
    expect(await w.snapshot(id)).toEqual(before);
  });

  it('the limit itself is accepted, one more character is not', async () => {
    const { id } = await api().incidents.create({ title: 'At the limit', severity: 'SEV4' });
    const body = 'y'.repeat(INCIDENT_LIMITS.updateBodyLength);
    await api().incidents.postUpdate({ id, body, visibility: 'internal' });
    const r = await refusal(api().incidents.postUpdate({ id, body: `${body}y`, visibility: 'internal' }));
    expect(r.code).toBe('VALIDATION_FAILED');
  });
});

describe('unknown services and environments', () => {
  it('create refuses an unknown service or environment with NOT_FOUND on its path and writes nothing', async () => {
    const counts = await w.counts();
    const s = await refusal(
      api().incidents.create({
        title: 'Unknown service',
        severity: 'SEV1',
        impacts: [impact(), impact({ serviceId: NOWHERE })],
        update: { body: 'First words.', visibility: 'public' },
      }),
    );
    expect(s).toMatchObject({ code: 'NOT_FOUND', path: 'impacts.1.serviceId', message: 'No such service.' });
    const e = await refusal(
      api().incidents.create({
        title: 'Unknown environment',
        severity: 'SEV1',
        impacts: [impact({ environmentId: NOWHERE })],
      }),
    );
    expect(e).toMatchObject({
      code: 'NOT_FOUND',
      path: 'impacts.0.environmentId',
      message: 'No such environment.',
    });
    expect(await w.counts()).toEqual(counts);
  });

  it('setImpacts refuses them and keeps the impacts it had', async () => {
    const { id } = await api().incidents.create({
      title: 'Keeps impacts',
      severity: 'SEV2',
      impacts: [impact()],
    });
    const before = await w.snapshot(id);
    const r = await refusal(
      api().incidents.setImpacts({ id, impacts: [impact({ serviceId: NOWHERE, environmentId: NOWHERE })] }),
    );
    expect(r).toMatchObject({ code: 'NOT_FOUND', path: 'impacts.0.serviceId' });
    expect(await w.snapshot(id)).toEqual(before);
  });
});

describe('other bounds', () => {
  it('refuses a duplicate pair, too many impacts, a long title, a bad commander, detection before start', async () => {
    const counts = await w.counts();
    const dup = await refusal(
      api().incidents.create({ title: 'Twice', severity: 'SEV3', impacts: [impact(), impact()] }),
    );
    expect(dup).toMatchObject({ code: 'VALIDATION_FAILED', path: 'impacts.1.serviceId' });
    const many = Array.from({ length: INCIDENT_LIMITS.impacts + 1 }, () => impact());
    expect(
      await refusal(api().incidents.create({ title: 'Many', severity: 'SEV3', impacts: many })),
    ).toMatchObject({
      code: 'VALIDATION_FAILED',
      path: 'impacts',
    });
    const title = 't'.repeat(INCIDENT_LIMITS.titleLength + 1);
    expect(await refusal(api().incidents.create({ title, severity: 'SEV3' }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      path: 'title',
    });
    expect(
      await refusal(
        api().incidents.create({ title: 'Nobody leads', severity: 'SEV3', commanderId: 'no-such-user' }),
      ),
    ).toMatchObject({ code: 'VALIDATION_FAILED', path: 'commanderId' });
    const startedAt = new Date(Date.now() - 3_600_000);
    expect(
      await refusal(
        api().incidents.create({
          title: 'Seen before it began',
          severity: 'SEV3',
          startedAt,
          detectedAt: new Date(startedAt.getTime() - 1),
        }),
      ),
    ).toMatchObject({ code: 'VALIDATION_FAILED', path: 'detectedAt' });
    expect(await w.counts()).toEqual(counts);
  });

  it('update refuses an empty patch and a bad commander, changing nothing; unknown ids are NOT_FOUND', async () => {
    const { id } = await api().incidents.create({ title: 'Patch me', severity: 'SEV3' });
    const before = await w.snapshot(id);
    expect(await refusal(api().incidents.update({ id, incident: {} }))).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(
      await refusal(api().incidents.update({ id, incident: { title: 'New', commanderId: 'no-such-user' } })),
    ).toMatchObject({ code: 'VALIDATION_FAILED', path: 'commanderId' });
    expect(await w.snapshot(id)).toEqual(before);
    await api().incidents.update({ id, incident: { commanderId: w.f.users.admin.id } });
    expect((await w.snapshot(id)).row).toMatchObject({ commanderId: w.f.users.admin.id });
    for (const call of [
      () => api().incidents.get({ id: NOWHERE }),
      () => api().incidents.acknowledge({ id: NOWHERE }),
      () => api().incidents.postUpdate({ id: NOWHERE, body: 'x', visibility: 'public' }),
      () => api().incidents.setImpacts({ id: NOWHERE, impacts: [] }),
      () => api().incidents.update({ id: NOWHERE, incident: { severity: 'SEV1' } }),
    ])
      expect((await refusal(call())).code).toBe('NOT_FOUND');
  });
});
