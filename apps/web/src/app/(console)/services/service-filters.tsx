'use client';

import { SERVICE_TIERS, type ServiceTier } from '@sextant/db/enums';
import { SERVICE_LIMITS } from '@sextant/trpc/limits';
import { Button, Input, Select } from '@sextant/ui';
import { Field, Options } from '~/components/field';
import { readForm } from '~/lib/form-data';
import type { ServiceFilters } from './filters';

/** Uncontrolled; the parent re-keys it when the URL changes so back/forward refill the fields. */
export function ServiceFilterForm({
  filters,
  onApply,
}: {
  filters: ServiceFilters;
  onApply: (next: ServiceFilters) => void;
}) {
  function read(form: HTMLFormElement): ServiceFilters {
    const { search, tier } = readForm(form, ['search', 'tier']);
    // Any new filter starts again at page 1.
    return {
      search: search.trim() || undefined,
      tier: SERVICE_TIERS.includes(tier as ServiceTier) ? (tier as ServiceTier) : undefined,
      page: 1,
    };
  }

  const filtered = !!(filters.search || filters.tier);
  return (
    <form
      aria-label="Service filters"
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(read(e.currentTarget));
      }}
    >
      <Field id="services-search" label="Search" className="flex min-w-56 flex-1 flex-col gap-1.5">
        {(p) => (
          <Input
            {...p}
            name="search"
            type="search"
            defaultValue={filters.search ?? ''}
            placeholder="Name or slug"
            autoComplete="off"
            maxLength={SERVICE_LIMITS.searchLength}
          />
        )}
      </Field>
      <Field id="services-tier" label="Tier" className="flex w-44 flex-col gap-1.5">
        {(p) => (
          <Select
            {...p}
            name="tier"
            defaultValue={filters.tier ?? ''}
            onChange={(e) => e.currentTarget.form && onApply(read(e.currentTarget.form))}
          >
            <option value="">All tiers</option>
            <Options values={SERVICE_TIERS} />
          </Select>
        )}
      </Field>
      <Button type="submit">Search</Button>
      {filtered ? (
        <Button type="button" variant="outline" onClick={() => onApply({ page: 1 })}>
          Clear
        </Button>
      ) : null}
    </form>
  );
}
