'use client';

import {
  COMPARISONS,
  ALERT_RULE_LIMITS as LIMITS,
  MONITOR_TARGET_TYPES,
  queryFunctions,
} from '@sextant/trpc/schemas';
import { Input, Select } from '@sextant/ui';
import { Field, NumberField, Options } from '~/components/field';
import type { RuleFormErrors, RuleFormValues, RuleKind } from './rule-form';

function Selector({ initial, errors }: { initial: RuleFormValues; errors: RuleFormErrors }) {
  return (
    <div className="grid gap-4 sm:grid-cols-3">
      <Field id="rule-metric" label="Metric" error={errors.metric}>
        {(p) => (
          <Input
            {...p}
            name="metric"
            defaultValue={initial.metric}
            className="font-mono"
            autoComplete="off"
            placeholder="http_requests_total"
          />
        )}
      </Field>
      <Field
        id="rule-matchers"
        label="Label matchers"
        error={errors.matchers}
        className="flex flex-col gap-1.5 sm:col-span-2"
      >
        {(p) => (
          <Input
            {...p}
            name="matchers"
            defaultValue={initial.matchers}
            className="font-mono"
            autoComplete="off"
            placeholder={'route=~"/api/.*", method="GET"'}
          />
        )}
      </Field>
    </div>
  );
}

/** The fields of one rule kind: metric expression and threshold, absent selector, or monitored target. */
export function KindFields({
  kind,
  initial,
  errors,
}: {
  kind: RuleKind;
  initial: RuleFormValues;
  errors: RuleFormErrors;
}) {
  const window = (
    <NumberField
      id="rule-window"
      label="Window (seconds)"
      name="windowSeconds"
      range={LIMITS.windowSeconds}
      defaultValue={initial.windowSeconds}
      error={errors.windowSeconds}
    />
  );
  if (kind === 'monitor') {
    return (
      <div className="grid gap-4 sm:grid-cols-4" data-testid="monitor-fields">
        <Field id="rule-target-type" label="Target" error={errors.targetType}>
          {(p) => (
            <Select {...p} name="targetType" defaultValue={initial.targetType}>
              <Options values={MONITOR_TARGET_TYPES} />
            </Select>
          )}
        </Field>
        <Field
          id="rule-target-id"
          label="Target id"
          error={errors.targetId}
          className="flex flex-col gap-1.5 sm:col-span-2"
        >
          {(p) => (
            <Input
              {...p}
              name="targetId"
              defaultValue={initial.targetId}
              className="font-mono"
              autoComplete="off"
            />
          )}
        </Field>
        <NumberField
          id="rule-runs"
          label="Consecutive runs"
          name="runs"
          range={LIMITS.runs}
          defaultValue={initial.runs}
          error={errors.runs}
        />
        <Field id="rule-statuses" label="Fires when" error={errors.statuses}>
          {(p) => (
            <Select {...p} name="statuses" defaultValue={initial.statuses}>
              <option value="down">down</option>
              <option value="down,degraded">down or degraded</option>
            </Select>
          )}
        </Field>
      </div>
    );
  }
  if (kind === 'absence') {
    return (
      <div className="flex flex-col gap-4" data-testid="absence-fields">
        <Selector initial={initial} errors={errors} />
        <div className="grid gap-4 sm:grid-cols-3">{window}</div>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-4" data-testid="metric-fields">
      <Selector initial={initial} errors={errors} />
      <div className="grid gap-4 sm:grid-cols-3">
        <Field id="rule-fn" label="Function" error={errors.fn}>
          {(p) => (
            <Select {...p} name="fn" defaultValue={initial.fn}>
              <Options values={queryFunctions} />
            </Select>
          )}
        </Field>
        <Field id="rule-by" label="One alert per (by)" error={errors.by} hint="Labels, comma separated.">
          {(p) => (
            <Input {...p} name="by" defaultValue={initial.by} className="font-mono" autoComplete="off" />
          )}
        </Field>
        {window}
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field id="rule-comparison" label="Comparison" error={errors.comparison}>
          {(p) => (
            <Select {...p} name="comparison" defaultValue={initial.comparison}>
              <Options values={COMPARISONS} />
            </Select>
          )}
        </Field>
        <Field id="rule-threshold" label="Threshold" error={errors.threshold}>
          {(p) => (
            <Input
              {...p}
              name="threshold"
              inputMode="decimal"
              defaultValue={initial.threshold}
              autoComplete="off"
            />
          )}
        </Field>
        <Field
          id="rule-resolve"
          label="Resolve threshold (optional)"
          error={errors.resolveThreshold}
          hint="Hysteresis: a firing alert clears only past this value."
        >
          {(p) => (
            <Input
              {...p}
              name="resolveThreshold"
              inputMode="decimal"
              defaultValue={initial.resolveThreshold}
              autoComplete="off"
            />
          )}
        </Field>
      </div>
    </div>
  );
}
