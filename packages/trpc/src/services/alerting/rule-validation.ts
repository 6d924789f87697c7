/**
 * What zod cannot check about an alert rule: the store (metric, target, service exist; how many series the query
 * yields), RE2 (matcher regexes) and templates. Read-only; runs before the write, so a refusal saves nothing.
 */
import { type DbOrTx, eq, type Sql, schema } from '@sextant/db';
import type { ConditionMatcher } from '@sextant/db/alert-condition';
import { AppError } from '../../errors';
import { ALERT_RULE_LIMITS, type AlertRuleInput } from '../../schemas/alert-rules';
import { checkSelection } from '../metrics/series';
import { checkMatcherSet } from './matchers';
import { checkTemplate } from './templates';

/** Paths name the field in `alertRules.create/update`'s input, as zod's issues do. */
const at = (...path: string[]) => ['rule', ...path];

const TARGET_TABLES = {
  check: schema.checks,
  heartbeat: schema.heartbeats,
  scrape_target: schema.scrapeTargets,
} as const;

async function exists(
  db: DbOrTx,
  table: (typeof TARGET_TABLES)[keyof typeof TARGET_TABLES] | typeof schema.services,
  id: string,
) {
  const [row] = await db.select({ id: table.id }).from(table).where(eq(table.id, id)).limit(1);
  return row !== undefined;
}

/** Annotation templates parse; a literal runbook URL is an http(s) URL. */
export function checkAnnotations(annotations: Record<string, string>): void {
  for (const [key, text] of Object.entries(annotations)) {
    checkTemplate(text, at('annotations', key));
    if (key === 'runbook_url' && !text.includes('{{') && !/^https?:\/\/\S+$/.test(text))
      throw new AppError('VALIDATION_FAILED', 'The runbook URL must be an http(s) URL.', [
        'annotations',
        key,
      ]);
  }
}

function checkRegexes(matchers: ConditionMatcher[], errorMatcher: ConditionMatcher | undefined) {
  checkMatcherSet(matchers, at('condition', 'matchers'));
  if (errorMatcher) checkMatcherSet([errorMatcher], at('condition', 'errorMatcher'));
}

/** The refusal of a query yielding more alerting series than the rule allows, with the count. */
function overLimit(limit: number) {
  return (groups: number) =>
    new AppError(
      'RULE_SERIES_LIMIT',
      `The query matches ${groups} series, over this rule's limit of ${limit}; add label matchers, group by fewer labels or raise the limit.`,
      at('seriesLimit'),
    );
}

/** Refuses what the store or RE2 says is wrong with `input`, naming the field; saves nothing. */
export async function validateRule(db: DbOrTx, sql: Sql, input: AlertRuleInput): Promise<void> {
  checkAnnotations(input.annotations);
  if (input.serviceId && !(await exists(db, schema.services, input.serviceId)))
    throw new AppError('NOT_FOUND', 'No such service.', at('serviceId'));
  const c = input.condition;
  if (c.kind === 'monitor') {
    if (!(await exists(db, TARGET_TABLES[c.target.type], c.target.id)))
      throw new AppError(
        'NOT_FOUND',
        `No such ${c.target.type.replace('_', ' ')}.`,
        at('condition', 'target', 'id'),
      );
    return;
  }
  checkRegexes(c.matchers, c.kind === 'metric' ? c.errorMatcher : undefined);
  const [known] = await sql`select 1 from metric_series where name = ${c.metric} limit 1`;
  if (!known)
    throw new AppError(
      'UNKNOWN_METRIC',
      `No metric named ${c.metric} has been stored.`,
      at('condition', 'metric'),
    );
  // An absence rule raises at most one alert; a metric rule one per `by` group, counted before it is saved.
  if (c.kind === 'metric') {
    const limit = input.seriesLimit || ALERT_RULE_LIMITS.seriesLimit.max;
    await checkSelection(sql, { name: c.metric, matchers: c.matchers }, c.by, {
      max: limit,
      refuse: overLimit(limit),
    });
  }
}
