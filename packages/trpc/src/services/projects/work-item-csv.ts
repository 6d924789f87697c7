/**
 * Work items as CSV (issue 17): the columns, the parser's bounds, and the export with formula cells escaped.
 * Pure: no database. Rows are numbered as a spreadsheet shows them (the header is row 1).
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../errors';
import { WORK_ITEM_LIMITS as L } from '../../limits';

export const CSV_COLUMNS = ['title', 'estimate', 'status', 'milestone', 'assignee', 'labels', 'due'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
const REQUIRED: readonly CsvColumn[] = ['title'];

/** One data row's cells by column, and its spreadsheet row number. */
export interface CsvRecord {
  line: number;
  cells: Partial<Record<CsvColumn, string>>;
}

/** Refuses, before any parsing, text above importBytes bytes or with more lines than importRows allows. */
export function assertImportBounds(content: string, rowsBeside: number) {
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > L.importBytes)
    throw new AppError(
      'WORK_ITEM_IMPORT_TOO_LARGE',
      `The file has ${bytes.toLocaleString('en-US')} bytes; at most ${L.importBytes.toLocaleString('en-US')}.`,
      ['content'],
    );
  // Line breaks bound the rows from above (a quoted cell may span lines), so this never under-counts.
  let lines = 0;
  for (let i = content.indexOf('\n'); i !== -1; i = content.indexOf('\n', i + 1))
    if (++lines > L.importRows + rowsBeside)
      throw new AppError(
        'WORK_ITEM_IMPORT_TOO_MANY_ROWS',
        `The file has more than ${L.importRows.toLocaleString('en-US')} rows; split it.`,
        ['content'],
      );
}

/** A cell export escaped against formula injection: a leading `'` marks it as text (OWASP CSV injection). */
// A cell already starting with `'` is escaped too, so import can strip exactly one and round-trip every value.
const ESCAPED_START = /^[=+\-@\t\r']/;
export const escapeCell = (v: string) => (ESCAPED_START.test(v) ? `'${v}` : v);
/** The inverse on import, so an export reads back as the values it was made from. */
export const unescapeCell = (v: string) =>
  v.startsWith("'") && ESCAPED_START.test(v.slice(1)) ? v.slice(1) : v;

/** Parses CSV text into records keyed by the header's columns; a wrong header is one error naming its columns. */
export function parseCsv(content: string): CsvRecord[] {
  assertImportBounds(content, 2);
  let rows: string[][];
  try {
    rows = parse(content.replace(/^\uFEFF/, ''), { relax_column_count: true, bom: true }) as string[][];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new AppError(
      'WORK_ITEM_IMPORT_MALFORMED',
      `The CSV does not parse${line ? ` near line ${line}` : ''}: ${(e as Error).message}`,
      ['content'],
    );
  }
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  const missing = REQUIRED.filter((c) => !header.includes(c));
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  if (unknown.length || missing.length || repeated.length) {
    const parts = [
      unknown.length ? `unknown ${unknown.map((c) => `"${c}"`).join(', ')}` : '',
      missing.length ? `missing ${missing.join(', ')}` : '',
      repeated.length ? `repeated ${[...new Set(repeated)].join(', ')}` : '',
    ].filter(Boolean);
    throw new AppError(
      'WORK_ITEM_IMPORT_COLUMNS',
      `Wrong columns: ${parts.join('; ')}. Expected ${CSV_COLUMNS.join(', ')} (title required).`,
      ['content'],
    );
  }
  const out: CsvRecord[] = [];
  rows.slice(1).forEach((cells, i) => {
    // A blank row (a spreadsheet's empty line) is skipped but keeps the numbering.
    if (cells.every((c) => c.trim() === '')) return;
    const record: CsvRecord = { line: i + 2, cells: {} };
    header.forEach((h, j) => {
      record.cells[h as CsvColumn] = unescapeCell(cells[j] ?? '');
    });
    out.push(record);
  });
  return out;
}

/** Splits a labels cell on `;` or `|`. */
export const splitLabels = (cell: string) =>
  cell
    .split(/[;|]/)
    .map((l) => l.trim())
    .filter(Boolean);

/** The export: one header row and one row per item, every cell escaped. */
export function toCsv(rows: Record<CsvColumn, string>[]): string {
  return stringify(
    [CSV_COLUMNS as readonly string[], ...rows.map((r) => CSV_COLUMNS.map((c) => escapeCell(r[c])))],
    { record_delimiter: '\n' },
  );
}
