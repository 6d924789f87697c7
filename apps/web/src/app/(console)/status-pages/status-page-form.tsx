'use client';

import { STATUS_PAGE_LIMITS } from '@sextant/trpc/limits';
import { statusPageInput } from '@sextant/trpc/schemas';
import { Button, Checkbox, FieldError, Input, Label, Select, Textarea, toast } from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Field, Suggestions } from '~/components/field';
import { SectionCard } from '~/components/section-card';
import { type InputIssue, stateFormErrors } from '~/lib/field-errors';
import { SERVICE_CHOICES } from '~/lib/incidents';
import { mailIntegrationChoices } from '~/lib/mail-integrations';
import type { RouterOutputs } from '~/lib/router-types';
import { groupNames, moveItem } from '~/lib/status-page';
import { useTRPC } from '~/trpc/react';

const FIELDS = [
  'slug',
  'title',
  'visibility',
  'logoUrl',
  'footer',
  'mailIntegrationId',
  'environmentIds',
  'components',
];

type Saved = RouterOutputs['statusPages']['get'];
interface ComponentRow {
  serviceId: string;
  group: string;
}

/** Create (no `saved`) or edit a page; the shared schema checks first, the server's coded refusals land on fields. */
export function StatusPageForm({ saved }: { saved?: Saved }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const services = useSuspenseQuery(trpc.services.list.queryOptions(SERVICE_CHOICES));
  const environments = useSuspenseQuery(trpc.environments.list.queryOptions());
  const receivers = useSuspenseQuery(trpc.receivers.list.queryOptions());
  const mailChoices = mailIntegrationChoices(receivers.data);
  const [mailIntegrationId, setMailIntegrationId] = useState(saved?.mailIntegrationId ?? '');
  const [slug, setSlug] = useState(saved?.slug ?? '');
  const [title, setTitle] = useState(saved?.title ?? '');
  const [visibility, setVisibility] = useState<'public' | 'private'>(saved?.visibility ?? 'public');
  const [logoUrl, setLogoUrl] = useState(saved?.logoUrl ?? '');
  const [footer, setFooter] = useState(saved?.footer ?? '');
  const [environmentIds, setEnvironmentIds] = useState<string[]>(
    saved?.environmentIds ?? environments.data.map((e) => e.id),
  );
  const [components, setComponents] = useState<ComponentRow[]>(
    saved?.components.map((c) => ({ serviceId: c.serviceId, group: c.group ?? '' })) ?? [],
  );
  const [adding, setAdding] = useState('');
  const [clientIssues, setClientIssues] = useState<InputIssue[]>([]);

  const done = (what: string) => {
    toast.success(what);
    void queryClient.invalidateQueries({ queryKey: trpc.statusPages.pathKey() });
    router.push('/status-pages');
  };
  const create = useMutation(
    trpc.statusPages.create.mutationOptions({ onSuccess: () => done('Status page created.') }),
  );
  const update = useMutation(
    trpc.statusPages.update.mutationOptions({ onSuccess: () => done('Status page saved.') }),
  );
  const mutation = saved ? update : create;
  const { issues, fieldError, message } = stateFormErrors(
    mutation.error,
    clientIssues,
    FIELDS,
    saved ? 'page' : undefined,
  );
  const rowError = (index: number) =>
    issues.find((i) => i.path[0] === 'components' && Number(i.path[1]) === index)?.message ?? null;

  const byId = new Map(services.data.items.map((s) => [s.id, s]));
  // A public page only takes public services: the picker offers those, and rows already chosen say so.
  const offered = services.data.items.filter(
    (s) => !components.some((c) => c.serviceId === s.id) && (visibility === 'private' || s.isPublic),
  );
  const setRow = (index: number, change: Partial<ComponentRow>) =>
    setComponents((rows) => rows.map((r, i) => (i === index ? { ...r, ...change } : r)));

  function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    mutation.reset();
    const input = {
      slug,
      title,
      visibility,
      logoUrl: logoUrl.trim() || null,
      footer,
      environmentIds,
      mailIntegrationId: mailIntegrationId || null,
      components: components.map((c) => ({ serviceId: c.serviceId, group: c.group })),
    };
    const checked = statusPageInput.safeParse(input);
    const own: InputIssue[] = [];
    if (visibility === 'public')
      components.forEach((c, i) => {
        const s = byId.get(c.serviceId);
        if (s && !s.isPublic)
          own.push({
            path: ['components', i, 'serviceId'],
            message: `"${s.name}" is not public, so a public page cannot show it.`,
          });
      });
    const all = [...(checked.success ? [] : checked.error.issues), ...own];
    setClientIssues(all);
    if (!checked.success || own.length) return;
    if (saved) update.mutate({ id: saved.id, page: checked.data });
    else create.mutate(checked.data);
  }

  return (
    <SectionCard title="Status page">
      <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate data-testid="status-page-form">
        <Field id="status-page-title" label="Title" error={fieldError('title')}>
          {(p) => (
            <Input
              {...p}
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              maxLength={STATUS_PAGE_LIMITS.titleLength}
            />
          )}
        </Field>
        <Field
          id="status-page-slug"
          label="Address"
          error={fieldError('slug')}
          hint={`Shown at /status/${slug || '<address>'}: lowercase letters, digits and single dashes.`}
        >
          {(p) => (
            <Input
              {...p}
              value={slug}
              onChange={(e) => setSlug(e.target.value)}
              maxLength={STATUS_PAGE_LIMITS.slugLength}
            />
          )}
        </Field>
        <Field
          id="status-page-visibility"
          label="Visibility"
          error={fieldError('visibility')}
          hint="Public: anyone, and only public services. Private: signed-in users only."
        >
          {(p) => (
            <Select
              {...p}
              value={visibility}
              onChange={(e) => setVisibility(e.target.value as typeof visibility)}
            >
              <option value="public">public</option>
              <option value="private">private</option>
            </Select>
          )}
        </Field>
        <Field id="status-page-logo" label="Logo URL (optional)" error={fieldError('logoUrl')}>
          {(p) => (
            <Input
              {...p}
              type="url"
              value={logoUrl}
              onChange={(e) => setLogoUrl(e.target.value)}
              maxLength={STATUS_PAGE_LIMITS.logoUrlLength}
            />
          )}
        </Field>
        <Field
          id="status-page-footer"
          label="Footer (optional)"
          error={fieldError('footer')}
          hint="Plain text."
        >
          {(p) => (
            <Textarea
              {...p}
              value={footer}
              onChange={(e) => setFooter(e.target.value)}
              maxLength={STATUS_PAGE_LIMITS.footerLength}
              rows={3}
            />
          )}
        </Field>
        <Field
          id="status-page-mail"
          label="Subscriber email sent through"
          error={fieldError('mailIntegrationId')}
          hint="An email integration of a receiver. Without one the page offers no email subscription."
        >
          {(p) => (
            <Select {...p} value={mailIntegrationId} onChange={(e) => setMailIntegrationId(e.target.value)}>
              <option value="">No email subscriptions</option>
              {mailChoices.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <fieldset className="flex flex-col gap-2" aria-describedby="status-page-envs-error">
          <legend className="mb-1 text-sm font-medium">Environments shown</legend>
          {environments.data.map((env) => (
            <div key={env.id} className="flex items-center gap-2">
              <Checkbox
                id={`status-page-env-${env.id}`}
                checked={environmentIds.includes(env.id)}
                onChange={(e) =>
                  setEnvironmentIds((ids) =>
                    e.target.checked ? [...ids, env.id] : ids.filter((id) => id !== env.id),
                  )
                }
              />
              <Label htmlFor={`status-page-env-${env.id}`}>{env.name}</Label>
            </div>
          ))}
          {fieldError('environmentIds') ? (
            <FieldError id="status-page-envs-error">{fieldError('environmentIds')}</FieldError>
          ) : null}
        </fieldset>
        <ComponentsFieldset
          rows={components}
          names={(id) => byId.get(id)?.name ?? 'Unknown service'}
          rowError={rowError}
          listError={components.some((_, i) => rowError(i)) ? null : fieldError('components')}
          onRow={setRow}
          onMove={(i, delta) => setComponents((rows) => moveItem(rows, i, delta))}
          onRemove={(i) => setComponents((rows) => rows.filter((_, j) => j !== i))}
        />
        <div className="flex flex-wrap items-end gap-2">
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="status-page-add">Add component</Label>
            <Select
              id="status-page-add"
              className="w-64"
              value={adding}
              onChange={(e) => setAdding(e.target.value)}
            >
              <option value="">Pick a service…</option>
              {offered.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </Select>
          </div>
          <Button
            type="button"
            variant="outline"
            disabled={!adding || components.length >= STATUS_PAGE_LIMITS.components}
            onClick={() => {
              setComponents((rows) => [...rows, { serviceId: adding, group: rows.at(-1)?.group ?? '' }]);
              setAdding('');
            }}
          >
            Add
          </Button>
        </div>
        {services.data.total > services.data.items.length ? (
          <p className="text-xs text-muted-foreground">
            Only the first {services.data.items.length} services by name are offered.
          </p>
        ) : null}
        {message ? <FieldError>{message}</FieldError> : null}
        <div className="flex gap-2">
          <Button type="submit" disabled={mutation.isPending}>
            {saved ? 'Save status page' : 'Create status page'}
          </Button>
          <Button type="button" variant="outline" onClick={() => router.push('/status-pages')}>
            Cancel
          </Button>
        </div>
      </form>
    </SectionCard>
  );
}

/** The chosen services in page order, each with its group name, moved with up/down. */
function ComponentsFieldset({
  rows,
  names,
  rowError,
  listError,
  onRow,
  onMove,
  onRemove,
}: {
  rows: ComponentRow[];
  names: (serviceId: string) => string;
  rowError: (index: number) => string | null;
  listError: string | null;
  onRow: (index: number, change: Partial<ComponentRow>) => void;
  onMove: (index: number, delta: number) => void;
  onRemove: (index: number) => void;
}) {
  const groups = groupNames(rows.map((r) => ({ group: r.group })));
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 text-sm font-medium">Components, in page order</legend>
      <Suggestions id="status-page-groups" values={groups} />
      {rows.length === 0 ? <p className="text-sm text-muted-foreground">No components yet.</p> : null}
      {rows.map((row, index) => {
        const name = names(row.serviceId);
        const error = rowError(index);
        return (
          <div
            key={row.serviceId}
            className="flex flex-col gap-1"
            data-testid="component-row"
            data-service={row.serviceId}
          >
            <div className="grid items-center gap-2 sm:grid-cols-[1.5fr_1.5fr_auto]">
              <span className="text-sm font-medium" aria-invalid={!!error}>
                {name}
              </span>
              <Input
                aria-label={`Group of ${name}`}
                placeholder="Group (optional)"
                list="status-page-groups"
                value={row.group}
                maxLength={STATUS_PAGE_LIMITS.groupNameLength}
                onChange={(e) => onRow(index, { group: e.target.value })}
              />
              <div className="flex gap-1">
                <Button
                  type="button"
                  size="sm"
                  variant="outline"
                  aria-label={`Move ${name} up`}
                  disabled={index === 0}
                  onClick={() => onMove(index, -1)}
                >
                  ↑
                </Button>
                <Button
                  type="button"
                  size="sm"
                  variant="outline"
                  aria-label={`Move ${name} down`}
                  disabled={index === rows.length - 1}
                  onClick={() => onMove(index, 1)}
                >
                  ↓
                </Button>
                <Button
                  type="button"
                  size="sm"
                  variant="outline"
                  aria-label={`Remove ${name}`}
                  onClick={() => onRemove(index)}
                >
                  Remove
                </Button>
              </div>
            </div>
            {error ? <FieldError data-testid="component-error">{error}</FieldError> : null}
          </div>
        );
      })}
      {listError ? <FieldError>{listError}</FieldError> : null}
    </fieldset>
  );
}
