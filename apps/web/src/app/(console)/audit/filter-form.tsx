'use client';

import { Button, Input } from '@sextant/ui';
import { useQuery } from '@tanstack/react-query';
import { Field, Suggestions } from '~/components/field';
import { readForm } from '~/lib/form-data';
import { useHydrated } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';
import type { AuditFilters } from './filters';

/** An ISO instant as `<input type="datetime-local">` wants it, in the browser's zone. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The browser reads a zone-less `datetime-local` value as local time; the URL keeps the instant. */
function toIso(local: string, endOfMinute = false): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  if (Number.isNaN(d.getTime())) return undefined;
  // The field has minute precision; "to 10:00" should include entries written at 10:00:30.
  if (endOfMinute) d.setSeconds(59, 999);
  return d.toISOString();
}

const TEXT_FIELDS = [
  { key: 'actor', label: 'Actor', placeholder: 'email or id' },
  { key: 'action', label: 'Action', placeholder: 'e.g. user.create' },
  { key: 'targetType', label: 'Target type', placeholder: 'e.g. user' },
  { key: 'targetId', label: 'Target ID', placeholder: '' },
] as const;
const TIME_FIELDS = [
  { key: 'from', label: 'From' },
  { key: 'to', label: 'To' },
] as const;

interface Props {
  filters: AuditFilters;
  onApply: (filters: AuditFilters) => void;
  onClear: () => void;
}

/** Uncontrolled; the parent re-keys it when the URL changes so back/forward refill the fields. */
export function FilterForm({ filters, onApply, onClear }: Props) {
  // The server cannot know the viewer's zone, so date fields fill in only once hydrated.
  const hydrated = useHydrated();
  // Suggestions only: the actions the trail holds; the field takes any text while they load or if they fail.
  const actions = useQuery(useTRPC().audit.actions.queryOptions());

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = readForm(
      e.currentTarget,
      [...TEXT_FIELDS, ...TIME_FIELDS].map((f) => f.key),
    );
    const text = (key: (typeof TEXT_FIELDS)[number]['key']) => form[key].trim() || undefined;
    onApply({
      actor: text('actor'),
      action: text('action'),
      targetType: text('targetType'),
      targetId: text('targetId'),
      from: toIso(form.from),
      to: toIso(form.to, true),
    });
  }

  return (
    <form onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Audit filters">
      {TEXT_FIELDS.map((f) => (
        <Field key={f.key} id={`audit-${f.key}`} label={f.label}>
          {(p) => (
            <Input
              {...p}
              name={f.key}
              defaultValue={filters[f.key] ?? ''}
              placeholder={f.placeholder}
              list={f.key === 'action' ? 'audit-actions' : undefined}
              autoComplete="off"
            />
          )}
        </Field>
      ))}
      <Suggestions id="audit-actions" values={actions.data ?? []} />
      {TIME_FIELDS.map((f) => (
        <Field key={`${f.key}-${hydrated}`} id={`audit-${f.key}`} label={f.label}>
          {(p) => (
            <Input
              {...p}
              name={f.key}
              type="datetime-local"
              className="dark:[color-scheme:dark]"
              defaultValue={hydrated ? toLocalInput(filters[f.key]) : ''}
            />
          )}
        </Field>
      ))}
      <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-3">
        <Button type="submit">Apply filters</Button>
        <Button type="button" variant="outline" onClick={onClear}>
          Clear
        </Button>
      </div>
    </form>
  );
}
