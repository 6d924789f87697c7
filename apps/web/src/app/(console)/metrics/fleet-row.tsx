import { Badge, formatUnit, TableCell, TableRow } from '@sextant/ui';
import Link from 'next/link';
import { type MetricsRange, rangeSearch } from '~/lib/metrics-range';
import type { FleetRow as Row } from './fleet-sort';

/** Over 5% errors is an incident, over 1% worth a look. */
function errorTone(ratio: number | null): string | undefined {
  if (ratio === null) return undefined;
  return ratio > 0.05 ? 'text-destructive font-medium' : ratio > 0.01 ? 'text-warning' : undefined;
}

export function FleetRow({ row, range }: { row: Row; range: MetricsRange }) {
  const href = `/metrics/${encodeURIComponent(row.service)}/${encodeURIComponent(row.environment)}${rangeSearch(range)}`;
  return (
    <TableRow data-testid="fleet-row" data-service={row.service} data-environment={row.environment}>
      <TableCell>
        <Link href={href} className="font-medium hover:underline">
          {row.service}
        </Link>
      </TableCell>
      <TableCell>
        <Badge>{row.environment}</Badge>
      </TableCell>
      <TableCell className="text-right tabular-nums">{formatUnit(row.requestsPerSec, 'req/s')}</TableCell>
      <TableCell className={`text-right tabular-nums ${errorTone(row.errorRatio) ?? ''}`}>
        {formatUnit(row.errorRatio === null ? null : row.errorRatio * 100, '%')}
      </TableCell>
      <TableCell className="text-right tabular-nums">
        {formatUnit(row.p95Seconds === null ? null : row.p95Seconds * 1_000, 'ms')}
      </TableCell>
    </TableRow>
  );
}
