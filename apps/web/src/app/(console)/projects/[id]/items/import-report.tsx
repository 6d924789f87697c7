'use client';

import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@sextant/ui';
import type { RouterOutputs } from '~/lib/router-types';
import { STATUS_LABEL } from './items-shared';

type Preview = RouterOutputs['workItems']['importPreview'];
interface Problem {
  code: string;
  message: string;
}
/** A rejected row as both the preview and a refused import (`data.details.rows`) name it. */
export interface RejectedRow {
  line: number;
  errors: Problem[];
}

/** The parsed rows shown at most; the rejected ones are always listed in full (the API caps them at 200). */
const SHOWN_ROWS = 100;

/** Every rejected row by line with its codes, then the rows as they would be imported. */
export function ImportReport({
  rejected,
  total,
  preview,
}: {
  rejected: RejectedRow[];
  total?: number;
  preview?: Preview;
}) {
  const warned = preview?.rows.filter((r) => r.warnings.length) ?? [];
  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="import-report">
      {preview ? (
        <p data-testid="import-summary">
          {preview.accepted} to import, {preview.rejected} rejected
          {preview.skipped ? `, ${preview.skipped} already imported` : ''}.
        </p>
      ) : null}
      {rejected.length ? (
        <div className="flex flex-col gap-1 rounded-md border border-destructive/40 p-2">
          <p className="font-medium text-destructive">
            {total ?? rejected.length} rejected row{(total ?? rejected.length) === 1 ? '' : 's'}; nothing is
            imported until every row is fixed.
          </p>
          <ul className="flex flex-col gap-0.5">
            {rejected.map((r) => (
              <li key={r.line} data-testid="import-rejected-row" data-line={r.line}>
                Line {r.line}: {r.errors.map((e) => `${e.message} (${e.code})`).join('; ')}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {warned.length ? (
        <ul className="text-xs text-muted-foreground">
          {warned.slice(0, SHOWN_ROWS).map((r) => (
            <li key={r.line}>
              Line {r.line}: {r.warnings.map((w) => w.message).join('; ')}
            </li>
          ))}
        </ul>
      ) : null}
      {preview?.rows.length ? (
        <div className="max-h-64 overflow-auto rounded-md border">
          <Table data-testid="import-rows">
            <TableHeader>
              <TableRow>
                {['Line', 'Title', 'Estimate', 'Status', 'Milestone', 'Assignee', 'Labels', 'Due'].map(
                  (h) => (
                    <TableHead key={h}>{h}</TableHead>
                  ),
                )}
              </TableRow>
            </TableHeader>
            <TableBody>
              {preview.rows.slice(0, SHOWN_ROWS).map((r) => (
                <TableRow key={r.line} className={r.errors.length ? 'text-destructive' : undefined}>
                  <TableCell className="tabular-nums">{r.line}</TableCell>
                  <TableCell className="max-w-48 truncate">{r.item.title}</TableCell>
                  <TableCell className="tabular-nums">{r.item.estimate ?? '–'}</TableCell>
                  <TableCell>{STATUS_LABEL[r.item.status]}</TableCell>
                  <TableCell>{r.item.milestone ?? '–'}</TableCell>
                  <TableCell>{r.item.assignee ?? '–'}</TableCell>
                  <TableCell>{r.item.labels.join(', ')}</TableCell>
                  <TableCell className="whitespace-nowrap">{r.item.dueDate ?? '–'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {preview.rows.length > SHOWN_ROWS ? (
            <p className="p-2 text-xs text-muted-foreground">
              The first {SHOWN_ROWS} of {preview.rows.length} rows are shown.
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
