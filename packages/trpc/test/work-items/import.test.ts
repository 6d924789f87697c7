import { getErrorShape, TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORK_ITEM_LIMITS } from '../../src/limits';
import { appRouter } from '../../src/root';
import { escapeCell } from '../../src/services/projects/work-item-csv';
import { WorkItemImportError } from '../../src/services/projects/work-item-import';
import { type ItemsWorld, itemsWorld, refusal } from './world';

let w: ItemsWorld;
beforeAll(async () => {
  w = await itemsWorld();
});
afterAll(async () => {
  await w?.f.close();
});

const HEADER = 'title,estimate,status,milestone,assignee,labels';
/** 40 good rows; row i (0-based) is on spreadsheet line i + 2. */
const rows40 = (email: string) =>
  Array.from(
    { length: 40 },
    (_, i) =>
      `"Item ${i}, part ${i % 3}",${i % 5 === 0 ? '' : i % 8},${['todo', 'in_progress', 'done', 'cancelled'][i % 4]},${i % 2 ? 'M1' : ''},${i % 7 === 0 ? email : ''},${i % 3 ? 'a;b|c' : ''}`,
  );
const csv = (lines: string[]) => [HEADER, ...lines].join('\n');

describe('CSV import (issue 17 point 1, acceptance "Bad input")', () => {
  it('previews 40 rows without writing, then imports all 40 in one transaction', async () => {
    const m = w.caller('maintainer');
    const p = await w.project();
    const content = csv(rows40(w.f.users.viewer.email.toUpperCase()));
    const audit = await w.auditCount();
    const preview = await m.workItems.importPreview({ projectId: p.id, format: 'csv', content });
    expect(preview).toMatchObject({ accepted: 40, rejected: 0, skipped: 0 });
    expect(preview.rows[0]).toMatchObject({
      line: 2,
      item: { title: 'Item 0, part 0', estimate: null, status: 'todo', milestone: null, labels: [] },
      errors: [],
    });
    expect(preview.rows[1]!.item).toMatchObject({ estimate: 1, status: 'in_progress', milestone: 'M1' });
    expect(preview.rows[1]!.item.labels).toEqual(['a', 'b', 'c']);
    expect(await w.itemCount(p.id)).toBe(0);
    expect(await w.auditCount()).toBe(audit);
    const done = await m.workItems.import({ projectId: p.id, format: 'csv', content });
    expect(done.created).toBe(40);
    expect(await w.itemCount(p.id)).toBe(40);
    expect(await w.auditCount()).toBe(audit + 1);
    const items = (await m.workItems.list({ projectId: p.id, limit: 50 })).items;
    expect(items.filter((i) => i.milestoneId === p.milestoneId)).toHaveLength(20);
    expect(items.filter((i) => i.assigneeUserId === w.f.users.viewer.id)).toHaveLength(6);
    expect(items.filter((i) => i.status === 'done').every((i) => i.closedAt)).toBe(true);
  });

  it('2 bad rows in 40: both reported with their spreadsheet lines and codes, nothing written', async () => {
    const m = w.caller('maintainer');
    const p = await w.project();
    const lines = rows40('');
    lines[9] = 'Bad estimate,-3,todo,,,'; // line 11
    lines[30] = 'Unknown refs,2,todo,Nope,nobody@nowhere.test,'; // line 32
    const content = csv(lines);
    const audit = await w.auditCount();
    const preview = await m.workItems.importPreview({ projectId: p.id, format: 'csv', content });
    expect(preview).toMatchObject({ accepted: 38, rejected: 2 });
    const bad = preview.rows.filter((r) => r.errors.length);
    expect(bad.map((r) => [r.line, r.errors.map((e) => e.code)])).toEqual([
      [11, ['ESTIMATE_INVALID']],
      [32, ['MILESTONE_UNKNOWN', 'ASSIGNEE_UNKNOWN']],
    ]);
    const err = await m.workItems
      .import({ projectId: p.id, format: 'csv', content })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    const cause = (err as TRPCError).cause as WorkItemImportError;
    expect(cause).toBeInstanceOf(WorkItemImportError);
    expect(cause.appCode).toBe('WORK_ITEM_IMPORT_REJECTED');
    expect(cause.details.rows.map((r) => r.line)).toEqual([11, 32]);
    // The client reads the same rows from the error body's data.details.
    const shape = getErrorShape({
      config: appRouter._def._config,
      error: err as TRPCError,
      type: 'mutation',
      path: 'workItems.import',
      input: undefined,
      ctx: undefined,
    });
    expect(shape.data).toMatchObject({ appCode: 'WORK_ITEM_IMPORT_REJECTED', details: { rejected: 2 } });
    expect((shape.data as { details: typeof cause.details }).details.rows[1]).toMatchObject({
      line: 32,
      errors: [{ code: 'MILESTONE_UNKNOWN', column: 'milestone' }, { code: 'ASSIGNEE_UNKNOWN' }],
    });
    expect(await w.itemCount(p.id)).toBe(0);
    expect(await w.auditCount()).toBe(audit);
  });

  it('a quoted cell spanning lines keeps the row numbering of a spreadsheet (one row per record)', async () => {
    const p = await w.project();
    const content = `${HEADER}\n"two\nlines",1,,,,\n\nthird,huge,,,,\n`;
    const preview = await w
      .caller('maintainer')
      .workItems.importPreview({ projectId: p.id, format: 'csv', content });
    expect(preview.rows.map((r) => [r.line, r.errors.map((e) => e.code)])).toEqual([
      [2, []],
      [4, ['ESTIMATE_INVALID']],
    ]);
  });

  it('refuses negative, huge, fractional and non-numeric estimates and unknown statuses per row', async () => {
    const p = await w.project();
    const content = csv([
      'a,-1,,,,',
      'b,1001,,,,',
      'c,99999999999999999999,,,,',
      'd,2.5,,,,',
      'e,lots,,,,',
      'f,1,closed?,,,',
      'g,1000,,,,',
    ]);
    const preview = await w
      .caller('maintainer')
      .workItems.importPreview({ projectId: p.id, format: 'csv', content });
    expect(preview.rows.map((r) => r.errors.map((e) => e.code).join())).toEqual([
      'ESTIMATE_INVALID',
      'ESTIMATE_INVALID',
      'ESTIMATE_INVALID',
      'ESTIMATE_INVALID',
      'ESTIMATE_INVALID',
      'STATUS_UNKNOWN',
      '',
    ]);
  });

  it('refuses due dates that are not dates or fall before the project starts (2026-01-01), per row', async () => {
    const p = await w.project();
    const content = ['title,due', 'a,2026-01-01', 'b,2025-12-31', 'c,31/12/2026', 'd,'].join('\n');
    const m = w.caller('maintainer');
    const preview = await m.workItems.importPreview({ projectId: p.id, format: 'csv', content });
    expect(preview.rows.map((r) => [r.line, r.errors.map((e) => e.code).join()])).toEqual([
      [2, ''],
      [3, 'DUE_BEFORE_START'],
      [4, 'DUE_INVALID'],
      [5, ''],
    ]);
    expect(preview.rows[0]!.item.dueDate).toBe('2026-01-01');
    await expect(m.workItems.import({ projectId: p.id, format: 'csv', content })).rejects.toThrow(/rejected/);
    expect(await w.itemCount(p.id)).toBe(0);
  });

  it('wrong, unknown, missing or repeated header columns are one coded error naming them', async () => {
    const p = await w.project();
    const preview = (content: string) =>
      refusal(w.caller('maintainer').workItems.importPreview({ projectId: p.id, format: 'csv', content }));
    const unknown = await preview('title,points,owner\nx,1,y\n');
    expect(unknown.code).toBe('WORK_ITEM_IMPORT_COLUMNS');
    expect(unknown.message).toContain('"points"');
    expect(unknown.message).toContain('"owner"');
    const missing = await preview('estimate,status\n1,todo\n');
    expect(missing).toMatchObject({ code: 'WORK_ITEM_IMPORT_COLUMNS' });
    expect(missing.message).toContain('missing title');
    expect((await preview('title,title\na,b\n')).message).toContain('repeated title');
    expect((await preview('title\n"unterminated\n')).code).toBe('WORK_ITEM_IMPORT_MALFORMED');
  });

  it('100,000 rows are refused up front, before parsing; text above the byte limit too', async () => {
    const p = await w.project();
    const m = w.caller('maintainer');
    const many = `title\n${'x\n'.repeat(100_000)}`;
    expect(
      await refusal(m.workItems.import({ projectId: p.id, format: 'csv', content: many })),
    ).toMatchObject({
      code: 'WORK_ITEM_IMPORT_TOO_MANY_ROWS',
    });
    // Malformed beyond the limit: a parse would report MALFORMED, so the row bound must have answered first.
    const unparsable = `title\n${'x\n'.repeat(WORK_ITEM_LIMITS.importRows + 5)}"`;
    expect(
      (await refusal(m.workItems.importPreview({ projectId: p.id, format: 'csv', content: unparsable })))
        .code,
    ).toBe('WORK_ITEM_IMPORT_TOO_MANY_ROWS');
    const exactly = `title\n${'x\n'.repeat(WORK_ITEM_LIMITS.importRows)}`;
    expect(
      (await m.workItems.importPreview({ projectId: p.id, format: 'csv', content: exactly })).accepted,
    ).toBe(WORK_ITEM_LIMITS.importRows);
    const big = `title\n${'é'.repeat(WORK_ITEM_LIMITS.importBytes / 2 + 10)}\n`;
    expect(await refusal(m.workItems.import({ projectId: p.id, format: 'csv', content: big }))).toMatchObject(
      {
        code: 'WORK_ITEM_IMPORT_TOO_LARGE',
      },
    );
    const huge = 'x'.repeat(WORK_ITEM_LIMITS.importBytes * 2 + 1);
    expect((await refusal(m.workItems.import({ projectId: p.id, format: 'csv', content: huge }))).code).toBe(
      'VALIDATION_FAILED',
    );
    expect(await w.itemCount(p.id)).toBe(0);
  });
});

describe('CSV export (issue 17 point 1, acceptance "Bad input": formula injection)', () => {
  it('escapes formula cells with a leading quote, and an export reads back as the same items', async () => {
    const m = w.caller('maintainer');
    const p = await w.project();
    const titles = [
      '=HYPERLINK("https://evil.example","click")',
      '+1',
      '-2',
      '@SUM(A1)',
      '\tTab',
      "'quoted",
      'plain, "with" comma',
    ];
    for (const [i, title] of titles.entries())
      await m.workItems.create({
        projectId: p.id,
        title,
        estimate: i,
        status: i % 2 ? 'done' : 'todo',
        milestoneId: i % 2 ? p.milestoneId : null,
        assigneeUserId: i === 0 ? w.f.users.admin.id : null,
        labels: i === 0 ? ['=cmd', 'x'] : [],
      });
    const out = await w.caller('viewer').workItems.exportCsv({ projectId: p.id });
    expect(out.count).toBe(titles.length);
    expect(out.csv).toContain(`"'=HYPERLINK(""https://evil.example"",""click"")"`);
    expect(out.csv).toContain("'+1");
    expect(out.csv).toContain("'@SUM(A1)");
    // No cell of the export starts with a formula character.
    const { parse } = await import('csv-parse/sync');
    const cells = (parse(out.csv) as string[][]).flat();
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    expect(escapeCell('=1')).toBe("'=1");
    const back = await m.workItems.importPreview({ projectId: p.id, format: 'csv', content: out.csv });
    expect(back.rejected).toBe(0);
    const stored = (await m.workItems.list({ projectId: p.id })).items;
    const key = (i: { title: string; estimate: number | null; status: string; labels: string[] }) =>
      JSON.stringify([i.title, i.estimate, i.status, i.labels]);
    expect(back.rows.map((r) => key(r.item)).sort()).toEqual(stored.map(key).sort());
    expect(back.rows.find((r) => r.item.title.startsWith('=HYPERLINK'))!.item).toMatchObject({
      assignee: w.f.users.admin.email,
      labels: ['=cmd', 'x'],
    });
  });
});

describe('GitHub import (`gh issue list --json number,title,state,labels,assignees,milestone,url`)', () => {
  const issue = (n: number, over: object = {}) => ({
    number: n,
    title: `Issue ${n}`,
    state: n % 2 ? 'OPEN' : 'CLOSED',
    labels: [{ name: 'bug' }],
    assignees: n === 1 ? [{ login: 'octocat' }] : [],
    milestone: n === 2 ? { title: 'M1' } : null,
    url: `https://github.com/acme/app/issues/${n}`,
    ...over,
  });

  it('maps state, labels and milestone; leaves assignees out with a warning; a re-import skips known issues', async () => {
    const m = w.caller('maintainer');
    const p = await w.project();
    const content = JSON.stringify([issue(1), issue(2), issue(3)]);
    const first = await m.workItems.import({ projectId: p.id, format: 'github', content });
    expect(first.created).toBe(3);
    expect(first.rows[0]).toMatchObject({
      line: 1,
      item: { status: 'todo', labels: ['bug'], assignee: null, externalRef: issue(1).url },
      warnings: [{ code: 'ASSIGNEE_NOT_MAPPED' }],
    });
    expect(first.rows[1]!.item).toMatchObject({ status: 'done', milestone: 'M1' });
    const again = await m.workItems.import({
      projectId: p.id,
      format: 'github',
      content: JSON.stringify([issue(3), issue(4)]),
    });
    expect(again).toMatchObject({ created: 1, skipped: 1 });
    expect(again.rows[0]!.warnings.map((x) => x.code)).toEqual(['ALREADY_IMPORTED']);
    expect(await w.itemCount(p.id)).toBe(4);
  });

  it('reports bad issues by array index + 1, and refuses the file; malformed JSON is one coded error', async () => {
    const m = w.caller('maintainer');
    const p = await w.project();
    const content = JSON.stringify([
      issue(1),
      issue(2, { milestone: { title: 'Later' } }),
      issue(3, { title: '' }),
      issue(1),
    ]);
    const preview = await m.workItems.importPreview({ projectId: p.id, format: 'github', content });
    expect(preview.rows.filter((r) => r.errors.length).map((r) => [r.line, r.errors[0]!.code])).toEqual([
      [2, 'MILESTONE_UNKNOWN'],
      [3, 'TITLE_MISSING'],
      [4, 'DUPLICATE_IN_FILE'],
    ]);
    expect((await refusal(m.workItems.import({ projectId: p.id, format: 'github', content }))).code).toBe(
      'WORK_ITEM_IMPORT_REJECTED',
    );
    expect(await w.itemCount(p.id)).toBe(0);
    expect(
      (await refusal(m.workItems.importPreview({ projectId: p.id, format: 'github', content: '{"a":1}' })))
        .code,
    ).toBe('WORK_ITEM_IMPORT_MALFORMED');
    const many = JSON.stringify(Array.from({ length: WORK_ITEM_LIMITS.importRows + 1 }, () => ({})));
    expect(
      (await refusal(m.workItems.importPreview({ projectId: p.id, format: 'github', content: many }))).code,
    ).toBe('WORK_ITEM_IMPORT_TOO_MANY_ROWS');
  });
});
