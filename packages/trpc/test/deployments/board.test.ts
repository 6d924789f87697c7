import { sql } from '@sextant/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOARD_LIMITS } from '../../src/limits';
import { boardCellsQuery } from '../../src/services/release-board';
import { type DeployWorld, deployWorld, refusal } from './world';

let w: DeployWorld;
beforeAll(async () => {
  w = await deployWorld();
});
afterAll(async () => {
  await w?.f.close();
});

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 1, 12);
const at = (h: number) => new Date(T0 + h * HOUR);

/** A fresh service whose slug starts with `tag`, so a search finds exactly this test's services. */
async function serviceNamed(tag: string) {
  const { id, slug } = await w.fx.service();
  const tagged = `${tag}-${slug.slice(-12)}`;
  await w.f.database.sql`update services set slug = ${tagged} where id = ${id}`;
  return tagged;
}

describe('point 5: the release board', () => {
  it('latest succeeded wins per cell, a newer queued one shows as next, drift is marked per cell', async () => {
    const service = await serviceNamed('board-latest');
    const ci = await w.as('maintainer', 'key');
    const report = (
      environment: string,
      version: string,
      state: 'succeeded' | 'queued' | 'failed',
      h: number,
    ) => ci.deployments.report({ service, environment, version, state, at: at(h) });
    await report('DEV', '1.0.0', 'succeeded', 0);
    await report('DEV', '1.1.0', 'succeeded', 2);
    await report('DEV', '1.2.0', 'failed', 3);
    await report('FAT', '1.0.0', 'succeeded', 1);
    await report('FAT', '1.1.0', 'queued', 4);
    await report('UAT', '1.0.0', 'succeeded', 2);
    await report('PRO', '0.9.0', 'succeeded', 0);
    const board = await (await w.as('viewer')).releases.board({ search: service, limit: 10 });
    expect(board.environments.map((e) => e.name)).toEqual(['DEV', 'FAT', 'UAT', 'PRO']);
    expect(board.items).toHaveLength(1);
    const cells = board.items[0]!.cells;
    expect(cells.map((c) => [c.environment, c.current?.version ?? null, c.next?.version ?? null])).toEqual([
      ['DEV', '1.1.0', null],
      ['FAT', '1.0.0', '1.1.0'],
      ['UAT', '1.0.0', null],
      ['PRO', '0.9.0', null],
    ]);
    expect(cells[1]!.next).toMatchObject({ state: 'queued', approval: null });
    expect(cells.map((c) => c.drift)).toEqual([
      null,
      { behind: 'DEV', version: '1.1.0' },
      null,
      { behind: 'UAT', version: '1.0.0' },
    ]);
    expect(cells[0]!.current!.at).toEqual(at(2));
  });

  it('an environment with nothing behind one that runs something is drift; nothing before it is not', async () => {
    const service = await serviceNamed('board-empty');
    await (await w.as('maintainer', 'key')).deployments.report({
      service,
      environment: 'DEV',
      version: '2.0.0',
      state: 'succeeded',
    });
    const board = await (await w.as('viewer')).releases.board({ search: service, limit: 10 });
    expect(board.items[0]!.cells.map((c) => c.drift)).toEqual([
      null,
      { behind: 'DEV', version: '2.0.0' },
      null,
      null,
    ]);
  });

  it('pages by slug with a cursor; every service appears once; search escapes LIKE characters', async () => {
    const slugs: string[] = [];
    for (let i = 0; i < 5; i++) slugs.push(await serviceNamed(`page${i}`));
    const viewer = await w.as('viewer');
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 10; n++) {
      const page = await viewer.releases.board({ search: 'page', limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((s) => s.slug));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([...slugs].sort());
    expect((await viewer.releases.board({ search: 'pag_', limit: 10 })).items).toEqual([]);
  });

  it('inputs are bounded before any work', async () => {
    const viewer = await w.as('viewer');
    const r = await refusal(viewer.releases.board({ limit: BOARD_LIMITS.pageSize + 1 }));
    expect(r).toMatchObject({ code: 'VALIDATION_FAILED', path: 'limit' });
    const s = await refusal(
      viewer.releases.board({ limit: 5, search: 'x'.repeat(BOARD_LIMITS.searchLength + 1) }),
    );
    expect(s).toMatchObject({ code: 'VALIDATION_FAILED', path: 'search' });
  });

  it('the cell lookups use deployments_latest_idx (EXPLAIN)', async () => {
    // A test database is tiny, so the planner would scan; with scans off it must still find the index.
    const plan = await w.f.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return tx.execute(sql`explain ${boardCellsQuery({ limit: 25 })}`);
    });
    expect(plan.map((r) => Object.values(r)[0]).join('\n')).toContain('deployments_latest_idx');
  });
});

describe('point 3: deployment markers and the timeline', () => {
  it('markers are the range’s deployments oldest first, with version, environment and who', async () => {
    const service = await serviceNamed('markers');
    const ci = await w.as('maintainer', 'key');
    for (const [h, v] of [
      [0, '1.0.0'],
      [5, '1.1.0'],
      [30, '1.2.0'],
    ] as const)
      await ci.deployments.report({ service, environment: 'DEV', version: v, state: 'succeeded', at: at(h) });
    const viewer = await w.as('viewer');
    const m = await viewer.deployments.markers({ service, from: at(-1), to: at(10) });
    expect(m.truncated).toBe(false);
    expect(m.items.map((i) => [i.version, i.environment, i.who])).toEqual([
      ['1.0.0', 'DEV', 'maintainer CI key'],
      ['1.1.0', 'DEV', 'maintainer CI key'],
    ]);
    const timeline = await viewer.deployments.timeline({ service });
    expect(timeline.map((i) => i.version)).toEqual(['1.2.0', '1.1.0', '1.0.0']);
  });

  it('markers keep the newest BOARD_LIMITS.markers of a range and say so', async () => {
    const service = await serviceNamed('many');
    const ci = await w.as('maintainer', 'key');
    for (let i = 0; i <= BOARD_LIMITS.markers; i++)
      await ci.deployments.report({
        service,
        environment: 'DEV',
        version: `0.${i}.0`,
        state: 'queued',
        at: at(i / 60),
      });
    const m = await (await w.as('viewer')).deployments.markers({ service, from: at(-1), to: at(10) });
    expect(m.truncated).toBe(true);
    expect(m.items).toHaveLength(BOARD_LIMITS.markers);
    expect(m.items[0]!.version).toBe('0.1.0');
    expect(m.items.at(-1)!.version).toBe(`0.${BOARD_LIMITS.markers}.0`);
  });

  it('a range longer than markersSpanDays is refused before any work', async () => {
    const r = await refusal(
      (await w.as('viewer')).deployments.markers({
        service: 'any',
        from: at(0),
        to: at(24 * (BOARD_LIMITS.markersSpanDays + 1)),
      }),
    );
    expect(r).toMatchObject({ code: 'VALIDATION_FAILED', path: 'to' });
  });
});
