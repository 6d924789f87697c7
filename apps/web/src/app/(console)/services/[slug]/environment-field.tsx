import { Select } from '@sextant/ui';
import { Field } from '~/components/field';
import type { Environment } from './types';

/** The environment a monitor runs in; `anyLabel` adds an empty choice for monitors tied to none. */
export function EnvironmentField({
  id,
  label = 'Environment',
  environments,
  defaultValue,
  error,
  anyLabel,
  markProduction = false,
}: {
  id: string;
  label?: string;
  environments: Environment[];
  defaultValue: string;
  error?: string;
  anyLabel?: string;
  markProduction?: boolean;
}) {
  return (
    <Field id={id} label={label} error={error}>
      {(p) => (
        <Select {...p} name="environmentId" defaultValue={defaultValue}>
          {anyLabel ? <option value="">{anyLabel}</option> : null}
          {environments.map((env) => (
            <option key={env.id} value={env.id}>
              {env.name}
              {markProduction && env.isProduction ? ' (production)' : ''}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}
