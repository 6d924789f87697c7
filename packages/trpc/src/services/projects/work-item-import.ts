/**
 * Work item import and export (issue 17): CSV and `gh issue list --json number,title,state,labels,assignees,
 * milestone,url`. A preview writes nothing; an import writes all rows in one transaction or none, and either way
 * the report names each rejected row by its line (CSV: the spreadsheet row; GitHub: the array index + 1).
 */
import { and, asc, type DbOrTx, eq, inArray, isNotNull, isNull, schema, sql } from '@sextant/db';
import type { WorkItemStatus } from '@sextant/db/enums';
import type { ChangeContext } from '../../context';
import { AppError } from '../../errors';
import { WORK_ITEM_LIMITS as L } from '../../limits';
import { daySchema } from '../../schemas/projects';
import { type WorkItemImport, workItemLabel, workItemStatus } from '../../schemas/work-items';
import { assertNotArchived } from './common';
import {
  assertImportBounds,
  CSV_COLUMNS,
  type CsvColumn,
  parseCsv,
  splitLabels,
  toCsv,
} from './work-item-csv';
import { assertProject, dueBeforeStart, insertImportedItems, writableProject } from './work-items';

const { workItems, milestones, users } = schema;

export type RowCode =
  | 'TITLE_MISSING'
  | 'TITLE_TOO_LONG'
  | 'ESTIMATE_INVALID'
  | 'STATUS_UNKNOWN'
  | 'MILESTONE_UNKNOWN'
  | 'ASSIGNEE_UNKNOWN'
  | 'LABELS_INVALID'
  | 'DUPLICATE_IN_FILE'
  | 'DUE_INVALID'
  | 'DUE_BEFORE_START'
  // Warnings: the row is kept (or skipped) and the import goes on.
  | 'ASSIGNEE_NOT_MAPPED'
  | 'ALREADY_IMPORTED';

export interface RowProblem {
  code: RowCode;
  column?: string;
  message: string;
}

/** A row as read from the file, before names are looked up. */
interface RawRow {
  line: number;
  title: string;
  estimate: string;
  status: string;
  milestone: string;
  assignee: string;
  labels: string[];
  due: string;
  externalRef: string | null;
  warnings: RowProblem[];
}

export interface ReportRow {
  line: number;
  item: {
    title: string;
    estimate: number | null;
    status: WorkItemStatus;
    milestone: string | null;
    assignee: string | null;
    labels: string[];
    dueDate: string | null;
    externalRef: string | null;
  };
  errors: RowProblem[];
  warnings: RowProblem[];
  /** Already imported (same GitHub URL in this project): left as it is. */
  skipped: boolean;
}

/** An import refused because of its rows; `details` reaches the client as `data.details`. */
export class WorkItemImportError extends AppError {
  readonly details: { rejected: number; rows: { line: number; errors: RowProblem[] }[] };
  constructor(rows: ReportRow[]) {
    const bad = rows.filter((r) => r.errors.length);
    super(
      'WORK_ITEM_IMPORT_REJECTED',
      `${bad.length} row${bad.length === 1 ? '' : 's'} rejected (first at line ${bad[0]!.line}); nothing was imported.`,
      ['content'],
    );
    this.details = {
      rejected: bad.length,
      rows: bad.slice(0, L.reportedProblems).map((r) => ({ line: r.line, errors: r.errors })),
    };
  }
}

const STATUS_WORDS: Record<string, WorkItemStatus> = {
  'in progress': 'in_progress',
  open: 'todo',
  closed: 'done',
};

function fromCsv(content: string): RawRow[] {
  return parseCsv(content).map(({ line, cells }) => ({
    line,
    title: cells.title ?? '',
    estimate: cells.estimate ?? '',
    status: cells.status ?? '',
    milestone: cells.milestone ?? '',
    assignee: cells.assignee ?? '',
    labels: splitLabels(cells.labels ?? ''),
    due: cells.due ?? '',
    externalRef: null,
    warnings: [],
  }));
}

interface GhIssue {
  title?: unknown;
  state?: unknown;
  url?: unknown;
  labels?: { name?: unknown }[];
  assignees?: { login?: unknown }[];
  milestone?: { title?: unknown } | null;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** GitHub logins are not Sextant users (users have no login): assignees stay empty, with a warning naming them. */
function fromGithub(content: string): RawRow[] {
  assertImportBounds(content, Number.POSITIVE_INFINITY);
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch (e) {
    throw new AppError('WORK_ITEM_IMPORT_MALFORMED', `The JSON does not parse: ${(e as Error).message}`, [
      'content',
    ]);
  }
  if (!Array.isArray(data))
    throw new AppError(
      'WORK_ITEM_IMPORT_MALFORMED',
      'Expected the JSON array `gh issue list --json` writes.',
      ['content'],
    );
  if (data.length > L.importRows)
    throw new AppError(
      'WORK_ITEM_IMPORT_TOO_MANY_ROWS',
      `More than ${L.importRows} issues; split the file.`,
      ['content'],
    );
  return data.map((raw: GhIssue, i) => {
    const issue: GhIssue = raw && typeof raw === 'object' ? raw : {};
    const logins = (Array.isArray(issue.assignees) ? issue.assignees : [])
      .map((a) => str(a?.login))
      .filter(Boolean);
    return {
      line: i + 1,
      title: str(issue.title),
      estimate: '',
      status: str(issue.state).toUpperCase() === 'CLOSED' ? 'done' : 'todo',
      milestone: str(issue.milestone?.title),
      assignee: '',
      labels: (Array.isArray(issue.labels) ? issue.labels : [])
        .map((l) => str(l?.name).trim())
        .filter(Boolean),
      due: '',
      externalRef: str(issue.url).slice(0, 500) || null,
      warnings: logins.length
        ? [
            {
              code: 'ASSIGNEE_NOT_MAPPED' as const,
              column: 'assignees',
              message: `GitHub assignee ${logins.join(', ')} left out: Sextant users have no GitHub login.`,
            },
          ]
        : [],
    };
  });
}

/** Checks each row's values and looks its names up, in `db` (the import's transaction, or a read for a preview). */
type Resolved = ReportRow & { milestoneId: string | null; assigneeUserId: string | null };

async function buildReport(
  db: DbOrTx,
  project: { id: string; startDate: string },
  raw: RawRow[],
): Promise<Resolved[]> {
  const projectId = project.id;
  const names = [...new Set(raw.map((r) => r.milestone.trim().toLowerCase()).filter(Boolean))];
  const emails = [...new Set(raw.map((r) => r.assignee.trim().toLowerCase()).filter(Boolean))];
  const refs = [...new Set(raw.map((r) => r.externalRef).filter((r): r is string => !!r))];
  const milestoneIds = new Map(
    (names.length
      ? await db
          .select({ id: milestones.id, name: sql<string>`lower(${milestones.name})` })
          .from(milestones)
          .where(and(eq(milestones.projectId, projectId), inArray(sql`lower(${milestones.name})`, names)))
      : []
    ).map((m) => [m.name, m.id]),
  );
  const userIds = new Map(
    (emails.length
      ? await db
          .select({ id: users.id, email: sql<string>`lower(${users.email})` })
          .from(users)
          .where(and(inArray(sql`lower(${users.email})`, emails), isNull(users.disabledAt)))
      : []
    ).map((u) => [u.email, u.id]),
  );
  const known = new Set(
    (refs.length
      ? await db
          .select({ ref: workItems.externalRef })
          .from(workItems)
          .where(
            and(
              eq(workItems.projectId, projectId),
              isNotNull(workItems.externalRef),
              inArray(workItems.externalRef, refs),
            ),
          )
      : []
    ).map((r) => r.ref),
  );
  const seen = new Set<string>();
  return raw.map((r) => {
    const errors: RowProblem[] = [];
    const warnings = [...r.warnings];
    const title = r.title.trim();
    if (!title) errors.push({ code: 'TITLE_MISSING', column: 'title', message: 'The title is empty.' });
    else if (title.length > L.titleLength)
      errors.push({
        code: 'TITLE_TOO_LONG',
        column: 'title',
        message: `At most ${L.titleLength} characters.`,
      });
    const e = r.estimate.trim();
    const estimate = e === '' ? null : /^-?\d+$/.test(e) ? Number(e) : Number.NaN;
    if (estimate !== null && !(estimate >= L.estimate.min && estimate <= L.estimate.max))
      errors.push({
        code: 'ESTIMATE_INVALID',
        column: 'estimate',
        message: `"${e.slice(0, 20)}" is not a whole number from ${L.estimate.min} to ${L.estimate.max}.`,
      });
    const s = r.status.trim().toLowerCase();
    const parsedStatus = s === '' ? 'todo' : (STATUS_WORDS[s] ?? workItemStatus.safeParse(s).data);
    if (!parsedStatus)
      errors.push({
        code: 'STATUS_UNKNOWN',
        column: 'status',
        message: `Unknown status "${s.slice(0, 40)}".`,
      });
    const milestone = r.milestone.trim();
    if (milestone && !milestoneIds.has(milestone.toLowerCase()))
      errors.push({
        code: 'MILESTONE_UNKNOWN',
        column: 'milestone',
        message: `No milestone "${milestone.slice(0, 120)}" in this project.`,
      });
    const assignee = r.assignee.trim();
    if (assignee && !userIds.has(assignee.toLowerCase()))
      errors.push({
        code: 'ASSIGNEE_UNKNOWN',
        column: 'assignee',
        message: `No enabled user with email "${assignee.slice(0, 200)}".`,
      });
    const labels = [...new Set(r.labels)];
    if (labels.length > L.labels || labels.some((l) => !workItemLabel.safeParse(l).success))
      errors.push({
        code: 'LABELS_INVALID',
        column: 'labels',
        message: `At most ${L.labels} labels of at most ${L.labelLength} characters.`,
      });
    const due = r.due.trim();
    const dueDate = due === '' ? null : daySchema.safeParse(due).success ? due : undefined;
    if (dueDate === undefined)
      errors.push({
        code: 'DUE_INVALID',
        column: 'due',
        message: `"${due.slice(0, 20)}" is not a date (YYYY-MM-DD).`,
      });
    else if (dueBeforeStart(dueDate, project.startDate))
      errors.push({
        code: 'DUE_BEFORE_START',
        column: 'due',
        message: `Due ${dueDate}, before the project starts (${project.startDate}).`,
      });
    let skipped = false;
    if (r.externalRef) {
      if (seen.has(r.externalRef))
        errors.push({
          code: 'DUPLICATE_IN_FILE',
          column: 'url',
          message: 'This issue appears earlier in the file.',
        });
      else if (known.has(r.externalRef)) {
        skipped = true;
        warnings.push({ code: 'ALREADY_IMPORTED', column: 'url', message: 'Imported before: skipped.' });
      }
      seen.add(r.externalRef);
    }
    return {
      line: r.line,
      item: {
        title,
        estimate: Number.isFinite(estimate) ? estimate : null,
        status: parsedStatus ?? 'todo',
        milestone: milestone || null,
        assignee: assignee || null,
        labels,
        dueDate: dueDate ?? null,
        externalRef: r.externalRef,
      },
      errors,
      warnings,
      skipped,
      milestoneId: milestoneIds.get(milestone.toLowerCase()) ?? null,
      assigneeUserId: userIds.get(assignee.toLowerCase()) ?? null,
    };
  });
}

function read(input: Pick<WorkItemImport, 'format' | 'content'>) {
  return input.format === 'csv' ? fromCsv(input.content) : fromGithub(input.content);
}

const summary = (rows: ReportRow[]) => ({
  rows: rows.map(({ line, item, errors, warnings, skipped }) => ({ line, item, errors, warnings, skipped })),
  accepted: rows.filter((r) => !r.errors.length && !r.skipped).length,
  rejected: rows.filter((r) => r.errors.length).length,
  skipped: rows.filter((r) => r.skipped && !r.errors.length).length,
});

/** What an import would do, row by row; writes nothing. */
export async function previewImport(ctx: Pick<ChangeContext, 'db'>, input: WorkItemImport) {
  const raw = read(input);
  const project = await assertProject(ctx.db, input.projectId);
  // The import would be refused: say so at the preview already.
  assertNotArchived(project);
  return summary(await buildReport(ctx.db, project, raw));
}

/** All rows or none: any rejected row refuses the whole file with the same report, and nothing is written. */
export async function importWorkItems(ctx: ChangeContext, input: WorkItemImport) {
  const raw = read(input);
  return ctx.db.transaction(async (tx) => {
    const project = await writableProject(tx, input.projectId);
    const rows = await buildReport(tx, project, raw);
    if (rows.some((r) => r.errors.length)) throw new WorkItemImportError(rows);
    const ids = await insertImportedItems(
      tx,
      ctx,
      input.projectId,
      input.format,
      rows
        .filter((r) => !r.skipped)
        .map((r) => ({ ...r.item, milestoneId: r.milestoneId, assigneeUserId: r.assigneeUserId })),
    );
    return { ...summary(rows), created: ids.length, ids };
  });
}

/** A project's items as CSV, milestones by name and assignees by email, every cell escaped against formulas. */
export async function exportCsv(db: DbOrTx, projectId: string) {
  await assertProject(db, projectId);
  const rows = await db
    .select({
      title: workItems.title,
      estimate: workItems.estimate,
      status: workItems.status,
      milestone: milestones.name,
      assignee: users.email,
      labels: workItems.labels,
      due: workItems.dueDate,
    })
    .from(workItems)
    .leftJoin(milestones, eq(milestones.id, workItems.milestoneId))
    .leftJoin(users, eq(users.id, workItems.assigneeUserId))
    .where(eq(workItems.projectId, projectId))
    .orderBy(asc(workItems.createdAt), asc(workItems.id))
    .limit(L.exportRows + 1);
  const truncated = rows.length > L.exportRows;
  const cells = rows.slice(0, L.exportRows).map(
    (r): Record<CsvColumn, string> => ({
      title: r.title,
      estimate: r.estimate === null ? '' : String(r.estimate),
      status: r.status,
      milestone: r.milestone ?? '',
      assignee: r.assignee ?? '',
      labels: r.labels.join(';'),
      due: r.due ?? '',
    }),
  );
  return { csv: toCsv(cells), columns: CSV_COLUMNS, count: cells.length, truncated };
}
