/** DORA four keys, pure: see figures.ts and the README section "DORA figures (calculator)". */

export { DORA_LIMITS, DORA_WINDOW_DAYS } from '../../limits';
export { type BandBound, type BandRow, bandFor, bandLabel, DORA_BAND_YEAR, DORA_BANDS } from './bands';
export { doraFigures } from './figures';
export { frequencyBucket } from './frequency';
export {
  type Band,
  type BandLevel,
  type BandYear,
  DEFAULT_DORA_FLOOR,
  DORA_KEYS,
  type DoraCommit,
  type DoraDeployment,
  type DoraFigures,
  type DoraIncident,
  type DoraInput,
  type DoraKey,
  type DoraOptions,
  type DoraWindow,
  type DoraWindowDays,
  type FrequencyBucket,
} from './types';
export { doraWindow, inWindow, last7Days, last30Days, last90Days, median } from './window';
