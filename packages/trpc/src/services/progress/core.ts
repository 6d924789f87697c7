/**
 * The pure progress core (spec D, requirements 16–17): percentages, burn-up, predicted completion with a range, and
 * health by the documented rules. No database: the services feed it rows, the tests feed it fixtures.
 */
import type { ProjectHealth, WorkItemStatus } from '@sextant/db/enums';

const DAY_MS = 86_400_000;

export interface ItemFacts {
  status: WorkItemStatus;
  /** Points; null = un-estimated (counts the project's default estimate). */
  estimate: number | null;
}

export interface Totals {
  scopeCount: number;
  doneCount: number;
  scopePoints: number;
  donePoints: number;
  unestimatedCount: number;
}

/** Scope and done of a set of items: cancelled items leave the scope, un-estimated ones count `defaultEstimate`. */
export function totalsOf(items: readonly ItemFacts[], defaultEstimate: number): Totals {
  const t: Totals = { scopeCount: 0, doneCount: 0, scopePoints: 0, donePoints: 0, unestimatedCount: 0 };
  for (const i of items) {
    if (i.status === 'cancelled') continue;
    const points = i.estimate ?? defaultEstimate;
    t.scopeCount += 1;
    t.scopePoints += points;
    if (i.estimate === null) t.unestimatedCount += 1;
    if (i.status === 'done') {
      t.doneCount += 1;
      t.donePoints += points;
    }
  }
  return t;
}

/** Whole-number percentage, rounded down so open work never reads 100 %; an empty scope is 0 %. */
export function percent(done: number, scope: number): number {
  return scope <= 0 ? 0 : Math.floor((done / scope) * 100);
}

export interface Percentages {
  byCount: number;
  byEstimate: number;
}

export function percentagesOf(t: Totals): Percentages {
  return { byCount: percent(t.doneCount, t.scopeCount), byEstimate: percent(t.donePoints, t.scopePoints) };
}

/** A day's snapshot row (UTC day, `YYYY-MM-DD`). */
export interface SnapshotPoint extends Totals {
  day: string;
}

export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const msOf = (day: string) => Date.parse(`${day}T00:00:00Z`);
export const addDays = (day: string, n: number) => dayOf(msOf(day) + n * DAY_MS);
export const daysBetween = (from: string, to: string) => Math.round((msOf(to) - msOf(from)) / DAY_MS);

/** How many trailing weeks the throughput is measured over (spec D: trailing 3 weeks). */
export const THROUGHPUT_WEEKS = 3;

export interface Prediction {
  /** Points still open today. */
  remaining: number;
  /** Done points in each of the last 3 weeks, oldest first (week k = the 7 days ending 7·(2−k) days before today). */
  weekly: number[];
  /** Mean points per week over the 3 weeks. */
  perWeek: number;
  /** remaining / mean weekly throughput; null when nothing was done in 3 weeks (no basis to predict). */
  date: string | null;
  /**
   * The range: remaining divided by the best and the worst of the 3 weekly throughputs. `latest` is null when the
   * worst week completed nothing (at that pace the work never ends). Measured spread, not ±10 % of one average.
   */
  earliest: string | null;
  latest: string | null;
}

/** Done points at or before `day`: the last snapshot on or before it (0 before the first). */
function doneAt(points: readonly SnapshotPoint[], day: string): number {
  let v = 0;
  for (const p of points) {
    if (p.day > day) break;
    v = p.donePoints;
  }
  return v;
}

/**
 * Predicted completion from trailing 3-week throughput. Weekly throughput = growth of done points over each of the 3
 * 7-day windows ending today (from snapshots, sorted by day), floored at 0 (an item reopened is not negative work).
 */
export function predict(snapshots: readonly SnapshotPoint[], today: string, current: Totals): Prediction {
  const remaining = Math.max(0, current.scopePoints - current.donePoints);
  const weekly: number[] = [];
  for (let k = THROUGHPUT_WEEKS - 1; k >= 0; k--) {
    const end = addDays(today, -7 * k);
    const endDone = k === 0 ? current.donePoints : doneAt(snapshots, end);
    weekly.push(Math.max(0, endDone - doneAt(snapshots, addDays(end, -7))));
  }
  const perWeek = weekly.reduce((a, b) => a + b, 0) / THROUGHPUT_WEEKS;
  const at = (rate: number) => (rate > 0 ? addDays(today, Math.ceil((remaining / rate) * 7)) : null);
  if (remaining === 0) return { remaining, weekly, perWeek, date: today, earliest: today, latest: today };
  return {
    remaining,
    weekly,
    perWeek,
    date: at(perWeek),
    earliest: at(Math.max(...weekly)),
    latest: perWeek > 0 ? at(Math.min(...weekly)) : null,
  };
}

export interface BurnUp {
  /** One point per snapshot day (at most the bounded window the caller read), plus today. */
  points: { day: string; scope: number; done: number; scopeCount: number; doneCount: number }[];
  targetDate: string | null;
  predictedDate: string | null;
}

/** The burn-up series: scope and done points per day (scope creep shows as the scope line rising), today from live. */
export function burnUp(
  snapshots: readonly SnapshotPoint[],
  today: string,
  current: Totals,
  targetDate: string | null,
  predictedDate: string | null,
): BurnUp {
  const points = snapshots
    .filter((s) => s.day < today)
    .map((s) => ({
      day: s.day,
      scope: s.scopePoints,
      done: s.donePoints,
      scopeCount: s.scopeCount,
      doneCount: s.doneCount,
    }));
  points.push({
    day: today,
    scope: current.scopePoints,
    done: current.donePoints,
    scopeCount: current.scopeCount,
    doneCount: current.doneCount,
  });
  return { points, targetDate, predictedDate };
}

/** Stable ids of the health rules, in the order they are checked. */
export const HEALTH_RULES = {
  target_passed: 'off_track',
  predicted_after_target: 'at_risk',
  behind_schedule: 'at_risk',
  stalled: 'at_risk',
} as const satisfies Record<string, Exclude<ProjectHealth, 'on_track'>>;
export type HealthRuleId = keyof typeof HEALTH_RULES;

export interface FiredRule {
  id: HealthRuleId;
  health: Exclude<ProjectHealth, 'on_track'>;
  text: string;
}

export interface HealthInput {
  today: string;
  startDate: string;
  targetDate: string | null;
  totals: Totals;
  predictedDate: string | null;
  /** Day of the last completion (closedAt of the latest done item), or null if none. */
  lastDoneDay: string | null;
  riskGapPercent: number;
  stallDays: number;
}

export interface Health {
  health: ProjectHealth;
  /** Every rule that fired, off_track first; empty when on track. */
  rules: FiredRule[];
  elapsedPercent: number | null;
}

/**
 * Health by the documented rules (spec D). Done % is by estimate (the honest figure). Work is open when scope
 * exceeds done by count. off_track: target passed with work open. at_risk: predicted > target; elapsed% − done% >
 * riskGapPercent; or no completion for stallDays (counted from the start when nothing was ever done) with work open.
 */
export function healthOf(h: HealthInput): Health {
  const rules: FiredRule[] = [];
  const open = h.totals.scopeCount > h.totals.doneCount;
  const donePct = percent(h.totals.donePoints, h.totals.scopePoints);
  const fire = (id: HealthRuleId, text: string) => rules.push({ id, health: HEALTH_RULES[id], text });
  let elapsedPercent: number | null = null;
  if (h.targetDate) {
    const span = Math.max(1, daysBetween(h.startDate, h.targetDate));
    elapsedPercent = Math.min(100, Math.max(0, Math.round((daysBetween(h.startDate, h.today) / span) * 100)));
  }
  if (open && h.targetDate && h.today > h.targetDate)
    fire('target_passed', `Target date ${h.targetDate} has passed with work still open.`);
  if (open && h.targetDate && h.predictedDate && h.predictedDate > h.targetDate)
    fire(
      'predicted_after_target',
      `Predicted completion ${h.predictedDate} is after the target date ${h.targetDate}.`,
    );
  if (open && elapsedPercent !== null && elapsedPercent - donePct > h.riskGapPercent)
    fire(
      'behind_schedule',
      `${elapsedPercent}% of the time has elapsed but only ${donePct}% is done (gap over ${h.riskGapPercent} points).`,
    );
  const since = h.lastDoneDay ?? h.startDate;
  if (open && daysBetween(since, h.today) >= h.stallDays)
    fire(
      'stalled',
      `Nothing completed for ${daysBetween(since, h.today)} days with work open (limit ${h.stallDays}).`,
    );
  const health: ProjectHealth = rules.some((r) => r.health === 'off_track')
    ? 'off_track'
    : rules.length > 0
      ? 'at_risk'
      : 'on_track';
  return { health, rules, elapsedPercent };
}

export interface MilestoneFacts {
  id: string;
  name: string;
  dueDate: string | null;
  position: number;
}

export type MilestoneRisk = 'due_passed' | 'predicted_after_due';

export interface MilestoneProgress extends MilestoneFacts, Percentages {
  totals: Totals;
  open: boolean;
  /** Today + the open points of this milestone and every earlier one (by position) at the mean weekly throughput. */
  predictedDate: string | null;
  risk: { id: MilestoneRisk; text: string } | null;
}

/**
 * Per-milestone progress in order (position, then due date). Work is assumed to proceed in milestone order, so a
 * milestone's predicted date counts the open points of those before it too. At risk: open and its due date passed,
 * or open and predicted after its due date. An empty milestone is open (nothing in it is done yet).
 */
export function milestoneBreakdown(
  milestones: readonly MilestoneFacts[],
  totalsOf: (milestoneId: string) => Totals,
  perWeek: number,
  today: string,
): MilestoneProgress[] {
  const ordered = [...milestones].sort(
    (a, b) => a.position - b.position || (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999'),
  );
  let ahead = 0;
  return ordered.map((m) => {
    const totals = totalsOf(m.id);
    const open = totals.scopeCount === 0 || totals.scopeCount > totals.doneCount;
    ahead += Math.max(0, totals.scopePoints - totals.donePoints);
    const predictedDate = !open
      ? null
      : perWeek > 0
        ? addDays(today, Math.ceil((ahead / perWeek) * 7))
        : null;
    let risk: MilestoneProgress['risk'] = null;
    if (open && m.dueDate && today > m.dueDate)
      risk = { id: 'due_passed', text: `Due ${m.dueDate} and still open.` };
    else if (open && m.dueDate && predictedDate && predictedDate > m.dueDate)
      risk = {
        id: 'predicted_after_due',
        text: `Predicted ${predictedDate}, after its due date ${m.dueDate}.`,
      };
    return { ...m, ...percentagesOf(totals), totals, open, predictedDate, risk };
  });
}
