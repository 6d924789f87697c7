import { asc, type DbOrTx, schema, sql } from '@sextant/db';
import type { DeploymentState } from '@sextant/db/enums';
import type { ReleaseBoardInput } from '../schemas/release-board';

const { environments } = schema;

/** A deployment as a board cell shows it. */
export interface BoardDeployment {
  deploymentId: string;
  releaseId: string;
  version: string;
  state: DeploymentState;
  approval: 'pending' | 'approved' | null;
  /** When it reached its state: finished, started or queued. */
  at: Date;
}

export interface BoardCell {
  environment: string;
  /** The latest succeeded deployment: what runs there. */
  current: BoardDeployment | null;
  /** A queued or in-progress deployment newer than `current`, if any. */
  next: BoardDeployment | null;
  /** Set when this environment runs another version than the one before it in the chain (or nothing). */
  drift: { behind: string; version: string } | null;
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

type CellRow = {
  service_id: string;
  slug: string;
  name: string;
  env_name: string;
  cur_id: string | null;
  cur_release: string | null;
  cur_version: string | null;
  cur_approval: 'pending' | 'approved' | null;
  cur_at: string | Date | null;
  nxt_id: string | null;
  nxt_release: string | null;
  nxt_version: string | null;
  nxt_state: DeploymentState | null;
  nxt_approval: 'pending' | 'approved' | null;
  nxt_at: string | Date | null;
};

/**
 * The board's cells for one page of services: two index-backed lateral lookups per service × environment on
 * deployments_latest_idx (newest succeeded; newest queued/in-progress after it), so the cost follows the page,
 * not the deployment history.
 */
export function boardCellsQuery(input: ReleaseBoardInput) {
  const search = input.search ? likePattern(input.search) : null;
  return sql`
    with page as (
      select id, slug, name from services
      where (${input.cursor ?? null}::text is null or slug > ${input.cursor ?? null})
        and (${search}::text is null or slug ilike ${search} or name ilike ${search})
      order by slug limit ${input.limit + 1}
    )
    select p.id as service_id, p.slug, p.name, e.name as env_name,
      cur.id as cur_id, cur.release_id as cur_release, cur.version as cur_version, cur.approval as cur_approval,
      cur.at as cur_at,
      nxt.id as nxt_id, nxt.release_id as nxt_release, nxt.version as nxt_version, nxt.state as nxt_state,
      nxt.approval as nxt_approval, nxt.at as nxt_at
    from page p cross join environments e
    left join lateral (
      select d.id, d.release_id, r.version, d.approval, d.queued_at,
        coalesce(d.finished_at, d.started_at, d.queued_at) as at
      from deployments d join releases r on r.id = d.release_id
      where d.service_id = p.id and d.environment_id = e.id and d.state = 'succeeded'
      order by d.queued_at desc, d.id desc limit 1
    ) cur on true
    left join lateral (
      select d.id, d.release_id, r.version, d.state, d.approval, coalesce(d.started_at, d.queued_at) as at
      from deployments d join releases r on r.id = d.release_id
      where d.service_id = p.id and d.environment_id = e.id and d.state in ('queued', 'in_progress')
        and d.queued_at > coalesce(cur.queued_at, '-infinity'::timestamptz)
      order by d.queued_at desc, d.id desc limit 1
    ) nxt on true
    order by p.slug, e.position`;
}

const shownAt = (v: string | Date) => (v instanceof Date ? v : new Date(v));

function cellOf(r: CellRow): Omit<BoardCell, 'drift'> {
  return {
    environment: r.env_name,
    current: r.cur_id
      ? {
          deploymentId: r.cur_id,
          releaseId: r.cur_release!,
          version: r.cur_version!,
          state: 'succeeded',
          approval: r.cur_approval,
          at: shownAt(r.cur_at!),
        }
      : null,
    next: r.nxt_id
      ? {
          deploymentId: r.nxt_id,
          releaseId: r.nxt_release!,
          version: r.nxt_version!,
          state: r.nxt_state!,
          approval: r.nxt_approval,
          at: shownAt(r.nxt_at!),
        }
      : null,
  };
}

/** Drift per cell: the version differs from the environment before it, when that one runs something. */
export function withDrift(cells: Omit<BoardCell, 'drift'>[]): BoardCell[] {
  return cells.map((cell, i) => {
    const before = i > 0 ? cells[i - 1]!.current : null;
    const drifted = before && before.version.toLowerCase() !== cell.current?.version.toLowerCase();
    return {
      ...cell,
      drift: drifted ? { behind: cells[i - 1]!.environment, version: before.version } : null,
    };
  });
}

/**
 * Issue 16 point 5: services × environments (by position) with what runs in each, what is on its way, and
 * drift, one page of services at a time (keyset on slug).
 */
export async function releaseBoard(db: DbOrTx, input: ReleaseBoardInput) {
  const envs = await db
    .select({
      id: environments.id,
      name: environments.name,
      position: environments.position,
      isProduction: environments.isProduction,
      requiresApproval: environments.requiresApproval,
    })
    .from(environments)
    .orderBy(asc(environments.position));
  const rows = (await db.execute(boardCellsQuery(input))) as unknown as CellRow[];
  const services: { id: string; slug: string; name: string; cells: BoardCell[] }[] = [];
  for (const r of rows) {
    let last = services.at(-1);
    if (last?.id !== r.service_id) {
      last = { id: r.service_id, slug: r.slug, name: r.name, cells: [] };
      services.push(last);
    }
    last.cells.push(cellOf(r) as BoardCell);
  }
  for (const s of services) s.cells = withDrift(s.cells);
  const items = services.slice(0, input.limit);
  return {
    environments: envs,
    items,
    nextCursor: services.length > input.limit ? items.at(-1)!.slug : null,
  };
}
