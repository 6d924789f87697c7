'use client';

import { ALERT_STATES, type AlertState } from '@sextant/db/enums';
import { ALERT_LIST_LIMITS } from '@sextant/trpc/schemas';
import { Button, Checkbox, Input, Label, Select } from '@sextant/ui';
import { Field, Options } from '~/components/field';
import { readForm } from '~/lib/form-data';
import type { AlertFilters } from './filters';

/** Uncontrolled; the parent re-keys it when the URL changes so back/forward refill the fields. */
export function AlertFilterForm({
  filters,
  onApply,
}: {
  filters: AlertFilters;
  onApply: (next: AlertFilters) => void;
}) {
  function read(form: HTMLFormElement): AlertFilters {
    const f = readForm(form, ['state', 'service', 'severity', 'text', 'hideSilenced', 'hideInhibited']);
    return {
      state: ALERT_STATES.includes(f.state as AlertState) ? (f.state as AlertState) : undefined,
      service: f.service.trim() || undefined,
      severity: f.severity.trim() || undefined,
      text: f.text.trim() || undefined,
      hideSilenced: f.hideSilenced === 'on' || undefined,
      hideInhibited: f.hideInhibited === 'on' || undefined,
    };
  }
  const apply = (form: HTMLFormElement | null) => form && onApply(read(form));
  const text = (id: keyof AlertFilters & string, label: string, placeholder: string) => (
    <Field id={`alerts-${id}`} label={label} className="flex min-w-40 flex-1 flex-col gap-1.5">
      {(p) => (
        <Input
          {...p}
          name={id}
          type="search"
          defaultValue={(filters[id] as string | undefined) ?? ''}
          placeholder={placeholder}
          autoComplete="off"
          maxLength={ALERT_LIST_LIMITS.textLength}
        />
      )}
    </Field>
  );
  return (
    <form
      aria-label="Alert filters"
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        apply(e.currentTarget);
      }}
    >
      <Field id="alerts-state" label="State" className="flex w-40 flex-col gap-1.5">
        {(p) => (
          <Select
            {...p}
            name="state"
            defaultValue={filters.state ?? ''}
            onChange={(e) => apply(e.currentTarget.form)}
          >
            <option value="">All states</option>
            <Options values={ALERT_STATES} />
          </Select>
        )}
      </Field>
      {text('text', 'Search labels', 'Any label name or value')}
      {text('service', 'Service', 'Slug')}
      {text('severity', 'Severity', 'e.g. page')}
      {(
        [
          ['hideSilenced', 'Hide silenced'],
          ['hideInhibited', 'Hide inhibited'],
        ] as const
      ).map(([name, label]) => (
        <div key={name} className="flex items-center gap-2 pb-2">
          <Checkbox
            id={`alerts-${name}`}
            name={name}
            defaultChecked={!!filters[name]}
            onChange={(e) => apply(e.currentTarget.form)}
          />
          <Label htmlFor={`alerts-${name}`}>{label}</Label>
        </div>
      ))}
      <Button type="submit">Filter</Button>
      {Object.keys(filters).length > 0 ? (
        <Button type="button" variant="outline" onClick={() => onApply({})}>
          Clear
        </Button>
      ) : null}
    </form>
  );
}
