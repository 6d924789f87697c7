import { cn, TableHead } from '@sextant/ui';
import type { Sort, SortKey } from './fleet-sort';

/** A column header that sorts by its column; clicking the active one flips the direction. */
export function SortHeader({
  label,
  column,
  sort,
  onSort,
  align = 'left',
}: {
  label: string;
  column: SortKey;
  sort: Sort;
  onSort: (s: Sort) => void;
  align?: 'left' | 'right';
}) {
  const active = sort.key === column;
  const right = align === 'right';
  const arrow = (
    <span aria-hidden className="w-3 text-xs">
      {active ? (sort.desc ? '↓' : '↑') : ''}
    </span>
  );
  return (
    <TableHead
      aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}
      className={cn('p-0', right && 'text-right')}
    >
      <button
        type="button"
        className={cn(
          'inline-flex h-9 w-full items-center gap-1 px-3 hover:text-foreground',
          right && 'justify-end',
          active && 'text-foreground',
        )}
        // Names sort A→Z first; numbers worst (largest) first.
        onClick={() => onSort({ key: column, desc: active ? !sort.desc : column !== 'service' })}
      >
        {/* The arrow sits on the inner side so right-aligned labels line up with their numbers. */}
        {right ? arrow : null}
        {label}
        {right ? null : arrow}
      </button>
    </TableHead>
  );
}
