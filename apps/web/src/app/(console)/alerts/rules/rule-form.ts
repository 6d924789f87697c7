import { alertRuleInput } from '@sextant/trpc/schemas';
import { fieldByPath, validate } from '~/lib/field-errors';
import { readForm } from '~/lib/form-data';
import { parseLabels } from '~/lib/labels-text';
import type { RouterInputs, RouterOutputs } from '~/lib/router-types';
import { numberField } from '../../services/[slug]/check-form';

export type RuleInput = RouterInputs['alertRules']['create']['rule'];
export type Rule = RouterOutputs['alertRules']['get'];
export type RuleKind = Rule['kind'];

/** The editor's fields as text, whatever the kind; only the kind's own are sent. */
export interface RuleFormValues {
  name: string;
  kind: RuleKind;
  serviceId: string;
  // metric and absence
  metric: string;
  matchers: string;
  windowSeconds: string;
  // metric
  fn: string;
  by: string;
  comparison: string;
  threshold: string;
  resolveThreshold: string;
  // monitor
  targetType: string;
  targetId: string;
  statuses: string;
  runs: string;
  // every kind
  forSeconds: string;
  keepFiringForSeconds: string;
  intervalSeconds: string;
  seriesLimit: string;
  noDataPolicy: string;
  errorPolicy: string;
  labels: string;
  summary: string;
  description: string;
  runbook_url: string;
  /** Further annotations, one `name=template` a line. */
  annotations: string;
  enabled: string;
}
export type RuleField = keyof RuleFormValues;
export type RuleFormErrors = Partial<Record<RuleField, string>>;

export function emptyRule(): RuleFormValues {
  return {
    name: '',
    kind: 'metric',
    serviceId: '',
    metric: '',
    matchers: '',
    windowSeconds: '300',
    fn: 'avg',
    by: '',
    comparison: '>',
    threshold: '',
    resolveThreshold: '',
    targetType: 'check',
    targetId: '',
    statuses: 'down',
    runs: '2',
    forSeconds: '0',
    keepFiringForSeconds: '0',
    intervalSeconds: '60',
    seriesLimit: '0',
    noDataPolicy: 'NoData',
    errorPolicy: 'KeepLast',
    labels: '',
    summary: '',
    description: '',
    runbook_url: '',
    annotations: '',
    enabled: 'on',
  };
}

const KNOWN_ANNOTATIONS = ['summary', 'description', 'runbook_url'] as const;
type Matcher = { label: string; op: '=' | '!=' | '=~' | '!~'; value: string };

/** `route="/x", status=~"5.."` as PromQL writes a selector's matchers. */
export function matchersText(matchers: readonly Matcher[]): string {
  return matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(', ');
}

/** The matchers of `matchersText`'s form; a string is the error message. */
export function parseMatchers(text: string): Matcher[] | string {
  const out: Matcher[] = [];
  const one = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;
  while (one.lastIndex < text.length && text.slice(one.lastIndex).trim()) {
    const m = one.exec(text);
    if (!m) return 'Write matchers as label="value", label=~"regex", … (values in double quotes).';
    out.push({ label: m[1]!, op: m[2] as Matcher['op'], value: JSON.parse(`"${m[3]}"`) as string });
  }
  return out;
}

export function ruleValues(r: Rule): RuleFormValues {
  const c = r.condition;
  const extra = Object.entries(r.annotations).filter(
    ([k]) => !(KNOWN_ANNOTATIONS as readonly string[]).includes(k),
  );
  const v: RuleFormValues = {
    ...emptyRule(),
    name: r.name,
    kind: r.kind,
    serviceId: r.serviceId ?? '',
    forSeconds: String(r.forSeconds),
    keepFiringForSeconds: String(r.keepFiringForSeconds),
    intervalSeconds: String(r.intervalSeconds),
    seriesLimit: String(r.seriesLimit),
    noDataPolicy: r.noDataPolicy,
    errorPolicy: r.errorPolicy,
    labels: Object.entries(r.labels)
      .map(([k, x]) => `${k}=${x}`)
      .join(', '),
    summary: r.annotations.summary ?? '',
    description: r.annotations.description ?? '',
    runbook_url: r.annotations.runbook_url ?? '',
    annotations: extra.map(([k, x]) => `${k}=${x}`).join('\n'),
    enabled: r.enabled ? 'on' : '',
  };
  if (c.kind === 'monitor')
    return {
      ...v,
      targetType: c.target.type,
      targetId: c.target.id,
      statuses: c.statuses.join(','),
      runs: String(c.runs),
    };
  const shared = {
    ...v,
    metric: c.metric,
    matchers: matchersText(c.matchers),
    windowSeconds: String(c.windowSeconds),
  };
  if (c.kind === 'absence') return shared;
  return {
    ...shared,
    fn: c.fn,
    by: c.by.join(', '),
    comparison: c.comparison,
    threshold: String(c.threshold),
    resolveThreshold: c.resolveThreshold == null ? '' : String(c.resolveThreshold),
  };
}

const RULE_FIELDS = Object.keys(emptyRule()) as RuleField[];

/** Which editor field an issue of the rule's input is about (`condition.target.id` → `targetId`). */
export const ruleField = fieldByPath(RULE_FIELDS, {
  'condition.target.type': 'targetType',
  'condition.target.id': 'targetId',
  'condition.errorMatcher': 'matchers',
  'condition.statuses': 'statuses',
  'annotations.summary': 'summary',
  'annotations.description': 'description',
  'annotations.runbook_url': 'runbook_url',
});

export function readRule(form: HTMLFormElement): RuleFormValues {
  const v = readForm(form, RULE_FIELDS);
  return { ...v, kind: v.kind as RuleKind };
}

function condition(v: RuleFormValues, matchers: Matcher[]) {
  if (v.kind === 'monitor')
    return {
      kind: 'monitor' as const,
      target: { type: v.targetType as 'check', id: v.targetId.trim() },
      statuses: v.statuses.split(',').filter(Boolean) as ('down' | 'degraded')[],
      runs: numberField(v.runs) as number,
    };
  const metric = v.metric.trim();
  const windowSeconds = numberField(v.windowSeconds) as number;
  if (v.kind === 'absence') return { kind: 'absence' as const, metric, matchers, windowSeconds };
  return {
    kind: 'metric' as const,
    metric,
    matchers,
    windowSeconds,
    fn: v.fn as 'avg',
    by: v.by
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    comparison: v.comparison as '>',
    threshold: numberField(v.threshold) as number,
    resolveThreshold: numberField(v.resolveThreshold, true),
  };
}

/** The rule's input, checked by the API's own schema so mistakes show next to their field. */
export function toRuleInput(v: RuleFormValues): { input: RuleInput } | { errors: RuleFormErrors } {
  const labels = parseLabels(v.labels);
  const matchers = v.kind === 'monitor' ? [] : parseMatchers(v.matchers);
  const extra: Record<string, string> = {};
  let annotationsError: string | undefined;
  for (const line of v.annotations.split('\n')) {
    if (!line.trim()) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) annotationsError ??= `“${line.trim()}” is not name=template.`;
    else extra[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  const annotations = Object.fromEntries(
    [...KNOWN_ANNOTATIONS.map((k) => [k, v[k].trim()] as const), ...Object.entries(extra)].filter(
      ([, x]) => x,
    ),
  );
  const input = {
    name: v.name.trim(),
    serviceId: v.serviceId || null,
    condition: condition(v, typeof matchers === 'string' ? [] : matchers),
    forSeconds: numberField(v.forSeconds) as number,
    keepFiringForSeconds: numberField(v.keepFiringForSeconds) as number,
    intervalSeconds: numberField(v.intervalSeconds) as number,
    seriesLimit: numberField(v.seriesLimit) as number,
    noDataPolicy: v.noDataPolicy as 'NoData',
    errorPolicy: v.errorPolicy as 'KeepLast',
    labels: typeof labels === 'string' ? {} : labels,
    annotations,
    enabled: v.enabled === 'on',
  } satisfies RuleInput;
  const parseErrors: RuleFormErrors = {};
  if (typeof labels === 'string') parseErrors.labels = labels;
  if (typeof matchers === 'string') parseErrors.matchers = matchers;
  if (annotationsError) parseErrors.annotations = annotationsError;
  return validate(alertRuleInput, input, ruleField, parseErrors);
}
