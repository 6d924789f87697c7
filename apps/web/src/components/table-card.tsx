import { Table, TableBody, TableHead, TableHeader, TableRow } from '@sextant/ui';
import { SectionCard } from './section-card';

export interface Column {
  label: string;
  right?: boolean;
}

/**
 * A card holding one list: title, description, an optional action (e.g. "New check"), then the table, or the
 * empty message when there are no rows. The view reads with `useSuspenseQuery`, so data is always there:
 * loading is the page's prefetch, a failed refresh is `RefreshError`.
 */
export function TableCard({
  title,
  description,
  action,
  columns = [],
  rowActions = false,
  head,
  rows,
  empty,
  toolbar,
  footer,
  busy,
  testId,
  children,
}: {
  title?: string;
  description?: React.ReactNode;
  action?: React.ReactNode;
  columns?: Column[];
  /** Adds the right-aligned "Actions" column last. */
  rowActions?: boolean;
  /** Header cells of its own (e.g. sortable ones) instead of `columns`. */
  head?: React.ReactNode;
  /** How many rows `children` holds; 0 shows `empty`. */
  rows: number;
  empty: React.ReactNode;
  /** Above the table, e.g. filters. */
  toolbar?: React.ReactNode;
  /** Below the table, e.g. a pager or form. */
  footer?: React.ReactNode;
  busy?: boolean;
  testId: string;
  children: React.ReactNode;
}) {
  return (
    <SectionCard
      title={title}
      description={description}
      action={action}
      busy={busy}
      className={toolbar || footer ? 'flex flex-col gap-4' : undefined}
    >
      {toolbar}
      {rows === 0 ? (
        typeof empty === 'string' ? (
          <p className="text-sm text-muted-foreground">{empty}</p>
        ) : (
          empty
        )
      ) : (
        <Table data-testid={testId}>
          <TableHeader>
            <TableRow>
              {head ??
                [...columns, ...(rowActions ? [{ label: 'Actions', right: true }] : [])].map((c) => (
                  <TableHead key={c.label} className={c.right ? 'text-right' : undefined}>
                    {c.label}
                  </TableHead>
                ))}
            </TableRow>
          </TableHeader>
          <TableBody>{children}</TableBody>
        </Table>
      )}
      {footer}
    </SectionCard>
  );
}
