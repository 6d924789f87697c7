'use client';

import { Input, Select, Textarea } from '@sextant/ui';
import { createContext, useContext } from 'react';
import { Field, NumberField, Options } from '~/components/field';
import type { RuleField, RuleFormErrors, RuleFormValues } from './rule-form';

/** What every editor field reads: its saved value and its message, both by the field's name. */
const RuleFormContext = createContext<{ initial: RuleFormValues; errors: RuleFormErrors } | null>(null);
export const RuleFormProvider = RuleFormContext.Provider;

function useRuleField(name: RuleField) {
  const form = useContext(RuleFormContext);
  if (!form) throw new Error('Rule fields render inside RuleFormProvider.');
  return { id: `rule-${name}`, defaultValue: form.initial[name], error: form.errors[name] };
}

interface Common {
  name: RuleField;
  label: React.ReactNode;
  hint?: React.ReactNode;
  /** Spans two grid columns. */
  wide?: boolean;
}

/** A text field (monospace: names, selectors and templates); `multiline` for a textarea. */
export function RuleText({
  name,
  label,
  hint,
  wide,
  multiline,
  ...input
}: Common & { multiline?: boolean; placeholder?: string; maxLength?: number; inputMode?: 'decimal' }) {
  const { id, defaultValue, error } = useRuleField(name);
  const className = wide ? 'flex flex-col gap-1.5 sm:col-span-2' : undefined;
  return (
    <Field id={id} label={label} error={error} hint={hint} className={className}>
      {(p) =>
        multiline ? (
          <Textarea {...p} name={name} defaultValue={defaultValue} className="font-mono" {...input} />
        ) : (
          <Input
            {...p}
            name={name}
            defaultValue={defaultValue}
            className="font-mono"
            autoComplete="off"
            {...input}
          />
        )
      }
    </Field>
  );
}

export function RuleNumber({ name, label, range }: Common & { range: { min: number; max: number } }) {
  const { id, defaultValue, error } = useRuleField(name);
  return (
    <NumberField id={id} label={label} name={name} range={range} defaultValue={defaultValue} error={error} />
  );
}

/** A select of `values` (each its own label), or of the `children` options. */
export function RuleSelect({
  name,
  label,
  hint,
  values,
  children,
}: Common & { values?: readonly string[]; children?: React.ReactNode }) {
  const { id, defaultValue, error } = useRuleField(name);
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      {(p) => (
        <Select {...p} name={name} defaultValue={defaultValue}>
          {values ? <Options values={values} /> : children}
        </Select>
      )}
    </Field>
  );
}
