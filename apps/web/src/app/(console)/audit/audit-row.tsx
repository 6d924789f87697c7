'use client';

import { Badge, TableCell, TableRow } from '@sextant/ui';
import { LocalTime } from '~/lib/local-time';
import type { RouterOutputs } from '~/lib/router-types';

type AuditEntry = RouterOutputs['audit']['list']['items'][number];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Top-level fields whose value differs, so the summary says what changed without opening the diff. */
function changedFields(before: unknown, after: unknown): string[] {
  if (!isRecord(before) || !isRecord(after)) return [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

function Json({ label, value }: { label: string; value: unknown }) {
  return (
    <div className="flex flex-col gap-1">
      <span className="text-xs font-medium text-muted-foreground">{label}</span>
      <pre className="max-h-64 max-w-[24rem] overflow-auto rounded-md bg-muted p-2 font-mono text-xs">
        {value === undefined ? '—' : JSON.stringify(value, null, 2)}
      </pre>
    </div>
  );
}

function Diff({ diff }: { diff: AuditEntry['diff'] }) {
  if (!diff || (diff.before === undefined && diff.after === undefined))
    return <span className="text-muted-foreground">—</span>;
  const changed = changedFields(diff.before, diff.after);
  const summary = changed.length > 0 ? `Changed: ${changed.join(', ')}` : 'Details';
  return (
    <details>
      <summary className="cursor-pointer text-xs text-primary hover:underline">{summary}</summary>
      <div className="mt-2 flex flex-col gap-2">
        {diff.before !== undefined ? <Json label="Before" value={diff.before} /> : null}
        {diff.after !== undefined ? <Json label="After" value={diff.after} /> : null}
      </div>
    </details>
  );
}

export function AuditRow({ entry }: { entry: AuditEntry }) {
  return (
    <TableRow data-testid="audit-row" data-action={entry.action} className="align-top">
      <TableCell className="align-top text-sm">
        <LocalTime value={entry.at} />
      </TableCell>
      <TableCell className="align-top">
        <div className="text-sm" title={entry.actorId ?? undefined}>
          {entry.actorLabel ?? entry.actorId ?? '—'}
        </div>
        <Badge
          tone={entry.actorType === 'api_key' ? 'warning' : entry.actorType === 'system' ? 'neutral' : 'info'}
        >
          {entry.actorType}
        </Badge>
      </TableCell>
      <TableCell className="align-top font-mono text-xs">{entry.action}</TableCell>
      <TableCell className="align-top font-mono text-xs">
        {entry.targetType}
        {entry.targetId ? `:${entry.targetId}` : ''}
      </TableCell>
      <TableCell className="align-top font-mono text-xs">
        <div>{entry.ip ?? '—'}</div>
        <div className="max-w-36 truncate text-muted-foreground" title={entry.requestId ?? undefined}>
          {entry.requestId ?? '—'}
        </div>
      </TableCell>
      <TableCell className="align-top">
        <Diff diff={entry.diff} />
      </TableCell>
    </TableRow>
  );
}
