'use client';

import { Select } from '@sextant/ui';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { SERVICE_CHOICES } from '~/lib/incidents';
import { useTRPC } from '~/trpc/react';
import { ReleaseName } from './items-shared';

/**
 * A release by service then version (releases are per service, newest first). Linking an open item to a release
 * already in PRO makes it done at once (README "Work items").
 */
export function ReleasePicker({
  value,
  onChange,
  error,
}: {
  value: string | null;
  onChange: (releaseId: string | null) => void;
  error?: string | null;
}) {
  const trpc = useTRPC();
  const [service, setService] = useState('');
  const [current] = useState(value);
  const services = useQuery(trpc.services.list.queryOptions(SERVICE_CHOICES));
  const releases = useQuery(
    trpc.releases.list.queryOptions({ service, limit: 50 }, { enabled: service !== '' }),
  );
  const listed = releases.data?.items ?? [];
  return (
    <fieldset className="flex flex-col gap-1.5">
      <legend className="mb-1 text-sm font-medium">Release (optional)</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        <Select aria-label="Release service" value={service} onChange={(e) => setService(e.target.value)}>
          <option value="">Pick a service…</option>
          {services.data?.items.map((s) => (
            <option key={s.id} value={s.slug}>
              {s.name}
            </option>
          ))}
        </Select>
        <Select
          aria-label="Release"
          aria-invalid={!!error}
          value={value ?? ''}
          onChange={(e) => onChange(e.target.value || null)}
        >
          <option value="">No release</option>
          {current && !listed.some((r) => r.id === current) ? (
            <option value={current}>Linked now</option>
          ) : null}
          {listed.map((r) => (
            <option key={r.id} value={r.id}>
              {r.version}
            </option>
          ))}
        </Select>
      </div>
      {current ? (
        <p className="text-xs text-muted-foreground">
          Linked now: <ReleaseName id={current} />
        </p>
      ) : null}
      {error ? <p className="text-sm text-destructive">{error}</p> : null}
      <p className="text-xs text-muted-foreground">
        The item turns done when this release reaches production.
      </p>
    </fieldset>
  );
}
