import { availableParallelism, cpus } from 'node:os';
import type { LoadResult, LoadSettings } from './load';

/** Machine and settings first: numbers mean little without them. */
export function printContext(settings: LoadSettings): void {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown cpu';
  console.log(
    `machine:  ${availableParallelism()} cpus (${cpu}), node ${process.version}, ${process.platform}-${process.arch}`,
  );
  console.log(
    `settings: ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s measured, 127.0.0.1, one target at a time`,
  );
}

const fixed = (n: number, digits: number) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';

/** Plain aligned text: readable in a terminal and pasteable into an issue, unlike console.table's quotes. */
export function printAligned(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // First column left-aligned (names), the rest right-aligned (numbers).
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** One row per target, with req/s and p99 as ratios to the baseline row. */
export function printTable(title: string, rows: LoadResult[], baseline: LoadResult): void {
  console.log(`\n${title}\n`);
  printAligned(
    ['target', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'failures', 'req/s vs base', 'p99 vs base'],
    rows.map((r) => [
      r.target,
      fixed(r.requestsPerSec, 0),
      fixed(r.p50Ms, 2),
      fixed(r.p99Ms, 2),
      String(r.requests),
      String(r.failures),
      `${fixed(r.requestsPerSec / baseline.requestsPerSec, 3)}x`,
      `${fixed(r.p99Ms / baseline.p99Ms, 1)}x`,
    ]),
  );
}
