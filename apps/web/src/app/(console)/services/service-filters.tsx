'use client';

import { SERVICE_TIERS, type ServiceTier } from '@sextant/db/enums';
import { SERVICE_LIMITS } from '@sextant/trpc/limits';
import { Button, Input, Label, Select } from '@sextant/ui';
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
    const data = new FormData(form);
    const tier = String(data.get('tier') ?? '');
    // Any new filter starts again at page 1.
    return {
      search: String(data.get('search') ?? '').trim() || undefined,
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
      <div className="flex min-w-56 flex-1 flex-col gap-1.5">
        <Label htmlFor="services-search">Search</Label>
        <Input
          id="services-search"
          name="search"
          type="search"
          defaultValue={filters.search ?? ''}
          placeholder="Name or slug"
          autoComplete="off"
          maxLength={SERVICE_LIMITS.searchLength}
        />
      </div>
      <div className="flex w-44 flex-col gap-1.5">
        <Label htmlFor="services-tier">Tier</Label>
        <Select
          id="services-tier"
          name="tier"
          defaultValue={filters.tier ?? ''}
          onChange={(e) => e.currentTarget.form && onApply(read(e.currentTarget.form))}
        >
          <option value="">All tiers</option>
          {SERVICE_TIERS.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </Select>
      </div>
      <Button type="submit">Search</Button>
      {filtered ? (
        <Button type="button" variant="outline" onClick={() => onApply({ page: 1 })}>
          Clear
        </Button>
      ) : null}
    </form>
  );
}
