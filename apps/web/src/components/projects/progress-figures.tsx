import type { DashboardData } from '~/lib/projects';

const pointsText = (n: number) => `${n} ${n === 1 ? 'point' : 'points'}`;

function Bar({ value, label }: { value: number; label: string }) {
  return (
    <div
      className="h-2 w-full overflow-hidden rounded-full bg-muted print:border"
      role="progressbar"
      aria-label={label}
      aria-valuenow={value}
      aria-valuemin={0}
      aria-valuemax={100}
    >
      <div className="h-full bg-primary" style={{ width: `${value}%` }} />
    </div>
  );
}

/**
 * % done by count and by estimate side by side (spec D, requirement 16): count alone flatters when small items
 * close first, so the gap is spelled out whenever they differ.
 */
export function ProgressFigures({
  percent,
  totals,
  defaultEstimate,
  compact = false,
}: {
  percent: DashboardData['percent'];
  totals: DashboardData['totals'];
  /** Points an un-estimated item counts (the project's setting). */
  defaultEstimate?: number;
  /** One line per figure, for the portfolio's rows. */
  compact?: boolean;
}) {
  const gap = percent.byCount - percent.byEstimate;
  const figure = compact ? 'text-base' : 'text-3xl';
  return (
    <div className="flex flex-col gap-2" data-testid="progress-figures">
      <dl className="grid grid-cols-2 gap-4">
        <div className="flex flex-col gap-1">
          <dt className="text-xs uppercase tracking-wide text-muted-foreground">By count</dt>
          <dd className={`${figure} font-semibold tabular-nums`} data-testid="percent-by-count">
            {percent.byCount} %
          </dd>
          {compact ? null : <Bar value={percent.byCount} label="Done by count" />}
          <dd className="text-xs text-muted-foreground">
            {totals.doneCount} of {totals.scopeCount} items
          </dd>
        </div>
        <div className="flex flex-col gap-1">
          <dt className="text-xs uppercase tracking-wide text-muted-foreground">By estimate</dt>
          <dd className={`${figure} font-semibold tabular-nums`} data-testid="percent-by-estimate">
            {percent.byEstimate} %
          </dd>
          {compact ? null : <Bar value={percent.byEstimate} label="Done by estimate" />}
          <dd className="text-xs text-muted-foreground">
            {totals.donePoints} of {totals.scopePoints} points
          </dd>
        </div>
      </dl>
      {gap !== 0 ? (
        <p className="text-xs text-warning" data-testid="percent-gap">
          {gap > 0
            ? `By count reads ${gap} points higher: the items done are smaller than those left.`
            : `By estimate reads ${-gap} points higher: the items done are larger than those left.`}
        </p>
      ) : null}
      {compact ? null : (
        <p className="text-xs text-muted-foreground" data-testid="unestimated">
          {totals.unestimatedCount === 0
            ? 'Every item in scope has an estimate.'
            : `${totals.unestimatedCount} un-estimated ${totals.unestimatedCount === 1 ? 'item counts' : 'items count'} ${pointsText(defaultEstimate ?? 1)} each (the project's default).`}
        </p>
      )}
    </div>
  );
}
