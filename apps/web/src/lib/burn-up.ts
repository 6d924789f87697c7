import type { DashboardData } from './projects';

const DAY_MS = 86_400_000;
/** Beyond this span the x axis keeps only the days that carry something (a predicted date years away). */
const MAX_GRID_DAYS = 2_000;

export const secondsOfDay = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;
const addDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

export type BurnUpInput = Pick<DashboardData, 'burnUp' | 'prediction' | 'project' | 'today'>;

/**
 * The burn-up's series: one x per calendar day from the first day shown (start or first snapshot) to the last
 * (target or predicted range end). A snapshot is the state of its day, so a value holds until the next one (added
 * scope shows as a step, not a slope); before the first snapshot and after today there is none.
 */
export function burnUpSeries(data: BurnUpInput) {
  const points = data.burnUp.points;
  const byDay = new Map(points.map((p) => [p.day, p]));
  const extra = [
    data.project.startDate,
    data.project.targetDate,
    data.prediction.date,
    data.prediction.earliest,
    data.prediction.latest,
  ];
  const sparse = [...new Set([...points.map((p) => p.day), ...extra.filter((d): d is string => !!d)])].sort();
  let days = sparse;
  const first = sparse[0];
  const lastDay = sparse[sparse.length - 1];
  if (first && lastDay && (secondsOfDay(lastDay) - secondsOfDay(first)) / 86_400 <= MAX_GRID_DAYS) {
    days = [];
    for (let d = first; d <= lastDay; d = addDay(d)) days.push(d);
  }
  const scope: (number | null)[] = [];
  const done: (number | null)[] = [];
  let held: (typeof points)[number] | null = null;
  for (const day of days) {
    held = byDay.get(day) ?? held;
    const shown = held && day <= data.today ? held : null;
    scope.push(shown?.scope ?? null);
    done.push(shown?.done ?? null);
  }
  const start = points[0];
  const now = points[points.length - 1];
  return {
    x: days.map(secondsOfDay),
    scope,
    done,
    firstDay: start?.day ?? null,
    scopeAdded: start && now ? now.scope - start.scope : 0,
  };
}
