import { Table, TableBody, TableHead, TableHeader, TableRow } from '@sextant/ui';
import { SectionCard } from './section-card';

export interface Column {
  label: string;
  right?: boolean;
}

/**
 * A card holding one table: title, description, an optional action (e.g. "New check"), and the table,
 * or instead of it the load error, "Loading…" or the empty message.
 */
export function TableCard({
  title,
  description,
  action,
  columns,
  rows,
  empty,
  loading = false,
  error = null,
  testId,
  children,
}: {
  title: string;
  description: string;
  action?: React.ReactNode;
  columns: Column[];
  /** How many rows `children` holds; 0 shows `empty`. */
  rows: number;
  empty: string;
  loading?: boolean;
  error?: string | null;
  testId: string;
  children: React.ReactNode;
}) {
  return (
    <SectionCard title={title} description={description} action={action}>
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : loading ? (
        <p className="text-sm text-muted-foreground">Loading…</p>
      ) : rows === 0 ? (
        <p className="text-sm text-muted-foreground">{empty}</p>
      ) : (
        <Table data-testid={testId}>
          <TableHeader>
            <TableRow>
              {columns.map((c) => (
                <TableHead key={c.label} className={c.right ? 'text-right' : undefined}>
                  {c.label}
                </TableHead>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>{children}</TableBody>
        </Table>
      )}
    </SectionCard>
  );
}
