import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_LIMITS } from '../../src/limits';
import { type IncidentWorld, incidentWorld, refusal } from './helpers';

let w: IncidentWorld;
beforeAll(async () => {
  w = await incidentWorld();
});
afterAll(async () => {
  await w?.f.close();
});

const fresh = async () =>
  (await w.as('maintainer').incidents.create({ title: 'Checkout errors', severity: 'SEV2' })).id;
const items = (id: string) =>
  w.f.database.sql<{ title: string; position: number }[]>`
    select title, position from incident_action_items where incident_id = ${id} order by position`;

describe('postmortem action items', () => {
  it('are added in order with owner and due day, shown by incidents.get with the owner named, and audited', async () => {
    const api = w.as('maintainer');
    const id = await fresh();
    const owner = w.f.users.viewer;
    const first = await api.incidents.addActionItem({
      incidentId: id,
      title: 'Alert on queue depth',
      ownerId: owner.id,
      dueOn: '2030-02-14',
    });
    await api.incidents.addActionItem({ incidentId: id, title: 'Write the runbook' });
    const got = await w.as('viewer').incidents.get({ id });
    expect(got.actionItems.map((i) => [i.title, i.ownerId, i.dueOn, i.doneAt])).toEqual([
      ['Alert on queue depth', owner.id, '2030-02-14', null],
      ['Write the runbook', null, null, null],
    ]);
    expect(got.actionItems[0]!.ownerEmail).toBe(owner.email);
    expect(first.position).toBe(0);
    const actions = (await w.snapshot(id)).audit.map((a) => (a as { action: string }).action);
    expect(actions.filter((a) => a === 'incident.action_item.add')).toHaveLength(2);
  });

  it('done stamps once and keeps the first time; undone clears it; fields left out keep their values', async () => {
    const api = w.as('maintainer');
    const id = await fresh();
    const item = await api.incidents.addActionItem({
      incidentId: id,
      title: 'Add a canary',
      dueOn: '2030-01-01',
    });
    const done = await api.incidents.updateActionItem({ id: item.id, patch: { done: true } });
    expect(done.doneAt).toBeInstanceOf(Date);
    const again = await api.incidents.updateActionItem({
      id: item.id,
      patch: { done: true, title: 'Add canaries' },
    });
    expect(again.doneAt).toEqual(done.doneAt);
    expect(again.dueOn).toBe('2030-01-01');
    const undone = await api.incidents.updateActionItem({ id: item.id, patch: { done: false } });
    expect(undone.doneAt).toBeNull();
    expect(undone.title).toBe('Add canaries');
  });

  it('removing one keeps the others and is audited with the item as it was', async () => {
    const api = w.as('maintainer');
    const id = await fresh();
    const a = await api.incidents.addActionItem({ incidentId: id, title: 'One' });
    await api.incidents.addActionItem({ incidentId: id, title: 'Two' });
    await api.incidents.removeActionItem({ id: a.id });
    expect((await items(id)).map((i) => i.title)).toEqual(['Two']);
    const removal = (await w.snapshot(id)).audit.find(
      (e) => (e as { action: string }).action === 'incident.action_item.remove',
    ) as { diff: { before: { title: string } } };
    expect(removal.diff.before.title).toBe('One');
    // A third one goes after the highest position, never onto a freed one.
    const three = await api.incidents.addActionItem({ incidentId: id, title: 'Three' });
    expect(three.position).toBe(2);
  });

  it('refuses bad input with a coded error and changes nothing', async () => {
    const api = w.as('maintainer');
    const id = await fresh();
    const before = await w.counts();
    expect(await refusal(api.incidents.addActionItem({ incidentId: id, title: '  ' }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      path: 'title',
    });
    expect(
      await refusal(api.incidents.addActionItem({ incidentId: id, title: 'x', dueOn: '2030-02-30' })),
    ).toMatchObject({ code: 'VALIDATION_FAILED', path: 'dueOn' });
    expect(
      await refusal(api.incidents.addActionItem({ incidentId: id, title: 'x', ownerId: 'no-such-user' })),
    ).toMatchObject({ code: 'VALIDATION_FAILED', path: 'ownerId' });
    expect(
      await refusal(
        api.incidents.addActionItem({ incidentId: '00000000-0000-4000-8000-000000000000', title: 'x' }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND', path: 'incidentId' });
    expect(
      await refusal(
        api.incidents.updateActionItem({ id: '00000000-0000-4000-8000-000000000000', patch: { done: true } }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(api.incidents.updateActionItem({ id, patch: {} }))).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(await w.counts()).toEqual(before);
    expect(await items(id)).toEqual([]);
  });

  it(`stops at ${INCIDENT_LIMITS.actionItems} per incident, even when added concurrently`, async () => {
    const api = w.as('maintainer');
    const id = await fresh();
    const results = await Promise.allSettled(
      Array.from({ length: INCIDENT_LIMITS.actionItems + 5 }, (_, n) =>
        api.incidents.addActionItem({ incidentId: id, title: `Item ${n}` }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(INCIDENT_LIMITS.actionItems);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(5);
    expect(await refusal(Promise.reject((refused[0] as PromiseRejectedResult).reason))).toMatchObject({
      code: 'INCIDENT_ACTION_ITEM_LIMIT',
    });
    const positions = (await items(id)).map((i) => i.position);
    expect(new Set(positions).size).toBe(INCIDENT_LIMITS.actionItems);
  });

  it('names the people an incident mentions, and the directory lists enabled users only', async () => {
    const maintainer = w.f.users.maintainer;
    const id = (
      await w.as('maintainer').incidents.create({
        title: 'Slow search',
        severity: 'SEV3',
        commanderId: maintainer.id,
        update: { body: 'Looking.', visibility: 'internal' },
      })
    ).id;
    const got = await w.as('viewer').incidents.get({ id });
    expect(got.people[maintainer.id]).toBeTruthy();
    const directory = await w.as('viewer').users.directory();
    expect(directory.map((u) => u.id)).toContain(maintainer.id);
    await w.f.database.sql`update users set disabled_at = now() where id = ${w.f.users.viewer.id}`;
    try {
      expect((await w.as('maintainer').users.directory()).map((u) => u.id)).not.toContain(
        w.f.users.viewer.id,
      );
    } finally {
      await w.f.database.sql`update users set disabled_at = null where id = ${w.f.users.viewer.id}`;
    }
  });
});
