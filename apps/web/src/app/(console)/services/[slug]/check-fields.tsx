'use client';

import { CHECK_LIMITS as LIMITS } from '@sextant/trpc/limits';
import { NumberField } from '~/components/field';
import type { CheckFormErrors, CheckFormValues } from './check-form';
import { EnvironmentField } from './environment-field';
import type { Environment } from './types';

const NUMBERS = [
  {
    key: 'intervalSeconds',
    label: 'Interval (seconds)',
    range: LIMITS.intervalSeconds,
    hint: '10 s to 24 h',
  },
  { key: 'timeoutMs', label: 'Timeout (ms)', range: LIMITS.timeoutMs, hint: '100 ms to 60 s' },
  {
    key: 'failureThreshold',
    label: 'Failure threshold',
    range: LIMITS.threshold,
    hint: 'Failures in a row before DOWN',
  },
  {
    key: 'successThreshold',
    label: 'Success threshold',
    range: LIMITS.threshold,
    hint: 'Successes in a row before UP',
  },
  {
    key: 'latencyThresholdMs',
    label: 'Latency threshold (ms, optional)',
    range: LIMITS.latencyThresholdMs,
    hint: 'Slower than this counts as degraded',
  },
] as const;

/** Schedule, thresholds and environment: the same for every kind of check. */
export function CommonCheckFields({
  values,
  errors,
  environments,
}: {
  values: CheckFormValues;
  errors: CheckFormErrors;
  environments: Environment[];
}) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <EnvironmentField
        id="check-environment"
        environments={environments}
        defaultValue={values.environmentId}
        error={errors.environmentId}
        markProduction
      />
      {NUMBERS.map((n) => (
        <NumberField
          key={n.key}
          id={`check-${n.key}`}
          label={n.label}
          name={n.key}
          range={n.range}
          defaultValue={values[n.key]}
          error={errors[n.key]}
          hint={n.hint}
        />
      ))}
    </div>
  );
}
