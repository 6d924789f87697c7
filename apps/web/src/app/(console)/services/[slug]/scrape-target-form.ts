import type { RouterInputs, RouterOutputs } from '~/lib/router-types';
import { intField } from './check-form';

export type ScrapeTargetInput = RouterInputs['scrapeTargets']['create']['target'];
export type ScrapeTarget = RouterOutputs['scrapeTargets']['list'][number];

export interface ScrapeTargetFormValues {
  url: string;
  environmentId: string;
  intervalSeconds: string;
  timeoutMs: string;
  /** `key=value` pairs, comma or newline separated. */
  labels: string;
  dropPrefix: string;
}
export type ScrapeTargetFormErrors = Partial<Record<keyof ScrapeTargetFormValues, string>>;

export function emptyScrapeTarget(environmentId: string): ScrapeTargetFormValues {
  return { url: '', environmentId, intervalSeconds: '30', timeoutMs: '5000', labels: '', dropPrefix: '' };
}

export function scrapeTargetValues(t: ScrapeTarget): ScrapeTargetFormValues {
  return {
    url: t.url,
    environmentId: t.environmentId,
    intervalSeconds: String(t.intervalSeconds),
    timeoutMs: String(t.timeoutMs),
    labels: Object.entries(t.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(', '),
    dropPrefix: t.dropPrefix ?? '',
  };
}

function parseLabels(text: string): Record<string, string> | string {
  const labels: Record<string, string> = {};
  for (const part of text.split(/[,\n]/)) {
    const pair = part.trim();
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq).trim() : '';
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(key)) return `“${pair}” is not key=value with a valid label name.`;
    if (key === 'service' || key === 'environment')
      return 'service and environment labels come from the target; remove them.';
    labels[key] = pair.slice(eq + 1).trim();
  }
  return labels;
}

/** Client-side half of the API's rules, so most mistakes show before a round trip. */
export function toScrapeTargetInput(
  v: ScrapeTargetFormValues,
): { input: ScrapeTargetInput } | { errors: ScrapeTargetFormErrors } {
  const errors: ScrapeTargetFormErrors = {};
  try {
    const u = new URL(v.url.trim());
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    errors.url = 'Enter an http:// or https:// URL.';
  }
  if (!v.environmentId) errors.environmentId = 'Choose an environment.';
  const interval = intField(v.intervalSeconds, 5, 3_600, {
    min: 'At least 5 seconds.',
    max: 'At most 1 hour.',
  });
  if (typeof interval === 'string') errors.intervalSeconds = interval;
  const timeout = intField(v.timeoutMs, 100, 60_000, { min: 'At least 100 ms.', max: 'At most 60 s.' });
  if (typeof timeout === 'string') errors.timeoutMs = timeout;
  else if (typeof interval === 'number' && typeof timeout === 'number' && timeout >= interval * 1_000)
    errors.timeoutMs = 'The timeout must be shorter than the interval.';
  const labels = parseLabels(v.labels);
  if (typeof labels === 'string') errors.labels = labels;
  const dropPrefix = v.dropPrefix.trim();
  if (dropPrefix && !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(dropPrefix))
    errors.dropPrefix = 'A prefix uses letters, digits, _ and : and does not start with a digit.';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    input: {
      url: v.url.trim(),
      environmentId: v.environmentId,
      intervalSeconds: interval as number,
      timeoutMs: timeout as number,
      labels: labels as Record<string, string>,
      dropPrefix: dropPrefix || null,
    },
  };
}
