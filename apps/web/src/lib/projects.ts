import type { ProjectHealth } from '@sextant/db/enums';
import type { RouterOutputs } from './router-types';

type Shared = RouterOutputs['progress']['shared'];
type SharedService = Shared['services'][number];

/** A service's facts as the dashboards show them; `slug` only where the console links to it. */
export type ServiceFactsView = Omit<SharedService, 'dora'> & {
  slug?: string;
  dora: Pick<
    NonNullable<SharedService['dora']>,
    'deploymentFrequency' | 'leadTime' | 'changeFailureRate'
  > | null;
};

/**
 * What the dashboard components read: the shared (outsider) answer, loosened just enough that the signed-in
 * `progress.project` answer, a superset of it, fits too.
 */
export type DashboardData = Omit<Shared, 'project' | 'services'> & {
  project: Omit<Shared['project'], 'owner'> & { owner: { name: string | null } | null };
  services: readonly ServiceFactsView[];
};
export type PortfolioRow = RouterOutputs['progress']['portfolio']['items'][number];
export type MilestoneView = Shared['milestones'][number];
export type FiredRule = Shared['health']['rules'][number];

export const HEALTH_LABEL: Record<ProjectHealth, string> = {
  on_track: 'On track',
  at_risk: 'At risk',
  off_track: 'Off track',
};
export const HEALTH_TONE = { on_track: 'success', at_risk: 'warning', off_track: 'danger' } as const;

/** The health rules in a few words each (the API's sentence gives the figures). */
export const RULE_LABEL: Record<FiredRule['id'], string> = {
  target_passed: 'Target date passed',
  predicted_after_target: 'Predicted after target',
  behind_schedule: 'Behind schedule',
  stalled: 'Stalled',
};

/** "12 Mar 2026" from a `YYYY-MM-DD` day, the same on server and browser (UTC, fixed words). */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '—';
  const d = new Date(`${day}T00:00:00Z`);
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** "99.95 %" for a 0..1 ratio; "no data" when nothing was observed. */
export function formatUptime(ratio: number | null): string {
  return ratio === null ? 'no data' : `${(Math.floor(ratio * 10_000) / 100).toFixed(2)} %`;
}

/** The predicted date and its measured range, in words. */
export function predictionText(p: { date: string | null; earliest: string | null; latest: string | null }) {
  if (!p.date) return { date: 'No prediction', range: 'nothing completed in the last 3 weeks' };
  if (p.earliest === p.date && p.latest === p.date) return { date: formatDay(p.date), range: null };
  return {
    date: formatDay(p.date),
    range: `range ${formatDay(p.earliest)} – ${p.latest ? formatDay(p.latest) : 'open-ended (a week with nothing done)'}`,
  };
}
