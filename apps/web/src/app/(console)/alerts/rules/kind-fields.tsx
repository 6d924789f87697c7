'use client';

import {
  COMPARISONS,
  ALERT_RULE_LIMITS as LIMITS,
  MONITOR_TARGET_TYPES,
  queryFunctions,
} from '@sextant/trpc/schemas';
import type { RuleKind } from './rule-form';
import { RuleNumber, RuleSelect, RuleText } from './rule-inputs';

function Selector() {
  return (
    <div className="grid gap-4 sm:grid-cols-3">
      <RuleText name="metric" label="Metric" placeholder="http_requests_total" />
      <RuleText name="matchers" label="Label matchers" wide placeholder={'route=~"/api/.*", method="GET"'} />
    </div>
  );
}

/** The fields of one rule kind: metric expression and threshold, absent selector, or monitored target. */
export function KindFields({ kind }: { kind: RuleKind }) {
  const window = <RuleNumber name="windowSeconds" label="Window (seconds)" range={LIMITS.windowSeconds} />;
  if (kind === 'monitor') {
    return (
      <div className="grid gap-4 sm:grid-cols-4" data-testid="monitor-fields">
        <RuleSelect name="targetType" label="Target" values={MONITOR_TARGET_TYPES} />
        <RuleText name="targetId" label="Target id" wide />
        <RuleNumber name="runs" label="Consecutive runs" range={LIMITS.runs} />
        <RuleSelect name="statuses" label="Fires when">
          <option value="down">down</option>
          <option value="down,degraded">down or degraded</option>
        </RuleSelect>
      </div>
    );
  }
  if (kind === 'absence') {
    return (
      <div className="flex flex-col gap-4" data-testid="absence-fields">
        <Selector />
        <div className="grid gap-4 sm:grid-cols-3">{window}</div>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-4" data-testid="metric-fields">
      <Selector />
      <div className="grid gap-4 sm:grid-cols-3">
        <RuleSelect name="fn" label="Function" values={queryFunctions} />
        <RuleText name="by" label="One alert per (by)" hint="Labels, comma separated." />
        {window}
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <RuleSelect name="comparison" label="Comparison" values={COMPARISONS} />
        <RuleText name="threshold" label="Threshold" inputMode="decimal" />
        <RuleText
          name="resolveThreshold"
          label="Resolve threshold (optional)"
          inputMode="decimal"
          hint="Hysteresis: a firing alert clears only past this value."
        />
      </div>
    </div>
  );
}
