import { eq, type Role, schema } from '@sextant/db';
import { appRouter } from '../../src/root';
import { insertProject } from '../../src/testing/work-item-fixtures';
import { deployWorld, refusal } from '../deployments/world';

export { refusal };

/** The deployment world plus projects made as rows (slice A owns those tables) and item counts. */
export async function itemsWorld() {
  const w = await deployWorld();
  const db = w.f.database.primary;
  let n = 0;
  return {
    ...w,
    db,
    caller: (role: Role) => appRouter.createCaller(w.f.ctx(w.f.user(role))),
    project: () => insertProject(db, `Project ${++n} ${Date.now()}`),
    async itemCount(projectId: string) {
      return (await db.select().from(schema.workItems).where(eq(schema.workItems.projectId, projectId)))
        .length;
    },
    async auditCount() {
      return (await w.counts()).audit;
    },
  };
}
export type ItemsWorld = Awaited<ReturnType<typeof itemsWorld>>;
