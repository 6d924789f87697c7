import type { RouterOutputs } from '~/lib/router-types';

export type FleetRow = RouterOutputs['metrics']['fleet'][number];
export type SortKey = 'service' | 'requestsPerSec' | 'errorRatio' | 'p95Seconds';
export interface Sort {
  key: SortKey;
  desc: boolean;
}

/** Worst first: highest error rate, then slowest p95. */
export const DEFAULT_SORT: Sort = { key: 'errorRatio', desc: true };

/** Numbers in the chosen direction with "no data" always last; ties fall back to error rate, p95, then name. */
function byNumber(a: number | null, b: number | null, desc: boolean): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return desc ? b - a : a - b;
}

export function sortFleet(rows: FleetRow[], sort: Sort): FleetRow[] {
  const name = (r: FleetRow) => `${r.service}\u0000${r.environment}`;
  return [...rows].sort((a, b) => {
    const primary =
      sort.key === 'service'
        ? (sort.desc ? -1 : 1) * name(a).localeCompare(name(b))
        : byNumber(a[sort.key], b[sort.key], sort.desc);
    return (
      primary ||
      byNumber(a.errorRatio, b.errorRatio, true) ||
      byNumber(a.p95Seconds, b.p95Seconds, true) ||
      name(a).localeCompare(name(b))
    );
  });
}
