/**
 * Published DORA bands as data, each row with its report year (spec C2). Bands are yearly survey clusters, so a
 * label always carries its year and is a label, not a target.
 */
import {
  type Band,
  type BandLevel,
  type BandYear,
  DAY_MS,
  type DoraKey,
  HOUR_MS,
  MINUTE_MS,
  MONTH_MS,
  SIX_MONTHS_MS,
  WEEK_MS,
} from './types';

/** The year doraFigures bands by: the only table with all four keys published and confirmed (spec C2). */
export const DORA_BAND_YEAR: BandYear = 2021;

/**
 * How a row matches. Deployment frequency (deploys per week) is better when higher, so its bound is a lower one;
 * the other keys are better when lower, so theirs is an upper one. `rest` catches every value the better rows
 * did not; `none` never matches (a cluster's typical value, not a range).
 */
export type BandBound = { value: number; inclusive: boolean } | 'rest' | 'none';

export interface BandRow {
  key: DoraKey;
  year: BandYear;
  levels: readonly BandLevel[];
  published: string;
  /** False where the spec marks the figure unconfirmed: kept for reference, never returned by bandFor. */
  shown: boolean;
  bound: BandBound;
  label: string;
}

const perWeek = (everyMs: number) => WEEK_MS / everyMs;
const minutes = (ms: number) => ms / MINUTE_MS;
// Upper bounds (lower is better) and lower bounds (deploy frequency): exclusive or inclusive.
const under = (value: number) => ({ value, inclusive: false });
const upTo = (value: number) => ({ value, inclusive: true });
const over = under;
const atLeast = upTo;

const DF = 'deploymentFrequency';
const LT = 'leadTime';
const CFR = 'changeFailureRate';
const RT = 'recoveryTime';

type RawRow = Omit<BandRow, 'label'>;
const row = (
  key: DoraKey,
  year: BandYear,
  levels: BandLevel | BandLevel[],
  published: string,
  bound: BandBound,
  shown = true,
): RawRow => ({ key, year, levels: typeof levels === 'string' ? [levels] : levels, published, bound, shown });

// Rows run best to worst per key and year; a value between two published ranges falls to the worse one.
// biome-ignore format: a table reads better one row a line
const RAW: RawRow[] = [
  // 2021 State of DevOps (spec C2, eduklein.com.br table).
  row(DF, 2021, 'elite', 'on-demand (multiple deploys per day)', over(perWeek(DAY_MS))),
  row(DF, 2021, 'high', 'between once per week and once per month', atLeast(perWeek(MONTH_MS))),
  row(DF, 2021, 'medium', 'between once per month and once every 6 months', atLeast(perWeek(SIX_MONTHS_MS))),
  row(DF, 2021, 'low', 'fewer than once every 6 months', 'rest'),
  row(LT, 2021, 'elite', 'less than one hour', under(minutes(HOUR_MS))),
  row(LT, 2021, 'high', 'between one day and one week', upTo(minutes(WEEK_MS))),
  row(LT, 2021, 'medium', 'between one month and six months', upTo(minutes(SIX_MONTHS_MS))),
  row(LT, 2021, 'low', 'more than six months', 'rest'),
  row(CFR, 2021, 'elite', '0–15%', upTo(0.15)),
  // The 2021 report gave high, medium and low one range; above 30 % it published no cluster.
  row(CFR, 2021, ['high', 'medium', 'low'], '16–30%', upTo(0.3)),
  row(RT, 2021, 'elite', 'less than one hour', under(minutes(HOUR_MS))),
  row(RT, 2021, 'high', 'less than one day', under(minutes(DAY_MS))),
  row(RT, 2021, 'medium', 'between one day and one week', upTo(minutes(WEEK_MS))),
  row(RT, 2021, 'low', 'more than six months', 'rest'),
  // 2024 Accelerate State of DevOps (spec C2, dennis-whalen.com table): only DF, LT and elite/high CFR confirmed.
  row(DF, 2024, 'elite', 'on demand, several a day', over(perWeek(DAY_MS))),
  row(DF, 2024, 'high', 'daily to weekly', atLeast(perWeek(WEEK_MS))),
  row(DF, 2024, 'medium', 'weekly to monthly', atLeast(perWeek(MONTH_MS))),
  row(DF, 2024, 'low', 'monthly to 6-monthly', atLeast(perWeek(SIX_MONTHS_MS))),
  row(LT, 2024, 'elite', 'less than one day', under(minutes(DAY_MS))),
  row(LT, 2024, 'high', 'one day to one week', upTo(minutes(WEEK_MS))),
  row(LT, 2024, 'medium', 'one week to one month', upTo(minutes(MONTH_MS))),
  row(LT, 2024, 'low', 'one to six months', upTo(minutes(SIX_MONTHS_MS))),
  // 2024 CFR figures are cluster typicals, not ranges (medium 10 % < high 20 %), so they label no value.
  row(CFR, 2024, 'elite', '5%', 'none'),
  row(CFR, 2024, 'high', '20%', 'none'),
  row(CFR, 2024, 'medium', '10%', 'none', false),
  row(CFR, 2024, 'low', '40%', 'none', false),
  row(RT, 2024, 'elite', 'less than one hour', 'none', false),
  row(RT, 2024, 'high', 'less than one day', 'none', false),
  row(RT, 2024, 'medium', 'less than one day', 'none', false),
  row(RT, 2024, 'low', 'one week to one month', 'none', false),
];

const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** "Elite (2021)", "High, medium or low (2021)". */
export function bandLabel(levels: readonly BandLevel[], year: BandYear): string {
  const words = levels.length > 1 ? `${levels.slice(0, -1).join(', ')} or ${levels.at(-1)}` : levels[0]!;
  return `${capital(words)} (${year})`;
}

export const DORA_BANDS: readonly BandRow[] = RAW.map((r) => ({ ...r, label: bandLabel(r.levels, r.year) }));

const higherIsBetter = (key: DoraKey) => key === 'deploymentFrequency';

function matches(bound: BandBound, value: number, higher: boolean): boolean {
  if (bound === 'rest') return true;
  if (bound === 'none') return false;
  if (higher) return bound.inclusive ? value >= bound.value : value > bound.value;
  return bound.inclusive ? value <= bound.value : value < bound.value;
}

/**
 * The published band of a figure in the units doraFigures answers (DF deploys per week, LT and recovery minutes,
 * CFR a 0–1 ratio), or null when there is no figure or that year published no range holding it.
 */
export function bandFor(key: DoraKey, value: number | null, year: BandYear = DORA_BAND_YEAR): Band | null {
  if (value === null || !Number.isFinite(value)) return null;
  const higher = higherIsBetter(key);
  const row = DORA_BANDS.find(
    (r) => r.key === key && r.year === year && r.shown && matches(r.bound, value, higher),
  );
  return row ? { label: row.label, year: row.year, levels: row.levels, published: row.published } : null;
}
