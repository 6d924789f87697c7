/**
 * Inputs and outputs of the DORA calculator. Plain rows, no database: a reader loads them from Postgres and the
 * functions here stay pure, so the dashboard, the bench and the tests compute one way.
 */
import type { DeploymentState } from '@sextant/db/enums';
import { DORA_LIMITS, type DORA_WINDOW_DAYS } from '../../limits';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;
/** fourkeys' month (730 h) and six months, so "1 month" means the same in every band and bucket. */
export const MONTH_MS = 730 * HOUR_MS;
export const SIX_MONTHS_MS = 6 * MONTH_MS;

export interface DoraCommit {
  sha: string;
  committedAt: Date;
}

export interface DoraDeployment {
  id: string;
  serviceId: string;
  /** The environment's `isProduction` flag; every other deployment is ignored (requirement 13). */
  environmentIsProduction: boolean;
  /** Only the finished states (FINISHED_STATES) count. */
  state: DeploymentState;
  /** When the deployment reached its final state; null while queued or in progress. */
  finishedAt: Date | null;
  startedAt?: Date | null;
  commits: readonly DoraCommit[];
}

export interface DoraIncident {
  id: string;
  openedAt: Date;
  resolvedAt: Date | null;
  /** Deployments named as the cause; ids of non-production or unknown deployments are ignored. */
  linkedDeploymentIds: readonly string[];
}

/** Half-open: `from` is inside the window, `to` is not, so consecutive windows never count a row twice. */
export interface DoraWindow {
  from: Date;
  to: Date;
}

export type DoraWindowDays = (typeof DORA_WINDOW_DAYS)[number];

export interface DoraOptions {
  /** Smallest sample a key is shown from; default DORA_LIMITS.sampleFloor. */
  floor?: number;
}

export interface DoraInput {
  /**
   * Deployments of the service (or team). Rows outside the window are used only to find a commit's first
   * production deployment and an incident's linked deployment time; pass the history that carried the window's
   * commits, or a re-deployed old commit would count as new.
   */
  deployments: readonly DoraDeployment[];
  /** Incidents opened in the window, and any that link to a deployment in it. */
  incidents: readonly DoraIncident[];
  window: DoraWindow;
  options?: DoraOptions;
}

export const DORA_KEYS = ['deploymentFrequency', 'leadTime', 'changeFailureRate', 'recoveryTime'] as const;
export type DoraKey = (typeof DORA_KEYS)[number];

export type BandLevel = 'elite' | 'high' | 'medium' | 'low';
export type BandYear = 2021 | 2024;

export interface Band {
  /** What the dashboard prints, always with the report year, e.g. "High (2021)". */
  label: string;
  year: BandYear;
  /** Several when the report gave several clusters one range (2021 CFR 16–30 %). */
  levels: readonly BandLevel[];
  /** The report's own words for the range. */
  published: string;
}

export type FrequencyBucket = 'daily' | 'weekly' | 'monthly' | 'yearly';

export interface DoraFigures {
  deploymentFrequency: {
    /** Succeeded production deployments finished in the window. */
    count: number;
    perWeek: number | null;
    /** fourkeys' bucket over the window's calendar (frequencyBucket). */
    bucket: FrequencyBucket | null;
    band: Band | null;
  };
  leadTime: { count: number; medianMinutes: number | null; band: Band | null };
  changeFailureRate: { deployments: number; failed: number; ratio: number | null; band: Band | null };
  recoveryTime: {
    count: number;
    medianMinutes: number | null;
    /** Incidents opened in the window and not resolved: listed, never in the median. */
    unresolved: string[];
    band: Band | null;
  };
  /** True where the sample is below the floor: the figure and band are null, the count stays. */
  insufficient: Record<DoraKey, boolean>;
}

export const DEFAULT_DORA_FLOOR = DORA_LIMITS.sampleFloor;
