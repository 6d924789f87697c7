import { writeAudit } from '@sextant/db';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appRouter } from '../src/root';
import { createFixture, type Fixture } from './fixtures';

let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
});
afterAll(async () => {
  await f?.close();
});

it('audit.actions lists each action in the trail once, in order, as a plain DISTINCT does', async () => {
  const actor = { type: 'system' as const, id: null, label: 'test' };
  for (const action of ['zeta.update', 'alpha.create', 'zeta.update', 'mid_thing.delete', 'alpha.create'])
    await writeAudit(f.database.primary, { actor, action, targetType: 'test' });
  const actions = await appRouter.createCaller(f.ctx(f.user('admin'))).audit.actions();
  const distinct = await f.database.sql<{ action: string }[]>`
    select distinct action from audit_log order by action`;
  expect(actions).toEqual(distinct.map((r) => r.action));
  expect(actions).toEqual(expect.arrayContaining(['alpha.create', 'mid_thing.delete', 'zeta.update']));
  expect(actions.filter((a) => a === 'zeta.update')).toHaveLength(1);
});
