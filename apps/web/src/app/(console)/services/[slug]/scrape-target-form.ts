import { scrapeTargetInput } from '@sextant/trpc/schemas';
import { fieldByPath, validate } from '~/lib/field-errors';
import { readForm } from '~/lib/form-data';
import { parseLabels } from '~/lib/labels-text';
import type { RouterInputs, RouterOutputs } from '~/lib/router-types';
import { numberField } from './check-form';

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

/** The form's fields, each read from the input of that name. */
const SCRAPE_TARGET_FIELDS = Object.keys(emptyScrapeTarget('')) as (keyof ScrapeTargetFormValues)[];

/** Which form field an issue of the target's input is about. */
export const scrapeTargetField = fieldByPath(SCRAPE_TARGET_FIELDS);

/** What a submitted scrape target form holds. */
export function readScrapeTarget(form: HTMLFormElement): ScrapeTargetFormValues {
  return readForm(form, SCRAPE_TARGET_FIELDS);
}

/** The target's input, checked by the API's own schema so mistakes show next to their field. */
export function toScrapeTargetInput(
  v: ScrapeTargetFormValues,
): { input: ScrapeTargetInput } | { errors: ScrapeTargetFormErrors } {
  const labels = parseLabels(v.labels);
  const dropPrefix = v.dropPrefix.trim();
  const input = {
    url: v.url.trim(),
    environmentId: v.environmentId,
    intervalSeconds: numberField(v.intervalSeconds) as number,
    timeoutMs: numberField(v.timeoutMs) as number,
    labels: typeof labels === 'string' ? {} : labels,
    dropPrefix: dropPrefix || null,
  } satisfies ScrapeTargetInput;
  return validate(scrapeTargetInput, input, scrapeTargetField, typeof labels === 'string' ? { labels } : {});
}
