'use client';

import { INCIDENT_IMPACTS, INCIDENT_SEVERITIES, type IncidentImpact } from '@sextant/db/enums';
import { INCIDENT_LIMITS } from '@sextant/trpc/limits';
import { incidentCreateInput } from '@sextant/trpc/schemas';
import { Button, FieldError, Input, Select, toast } from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Field } from '~/components/field';
import { SectionCard } from '~/components/section-card';
import { type InputIssue, stateFormErrors } from '~/lib/field-errors';
import { IMPACT_LABEL, SERVICE_CHOICES } from '~/lib/incidents';
import { useTRPC } from '~/trpc/react';
import { type UpdateDraft, UpdateFields } from './update-fields';

const FIELDS = ['title', 'severity', 'impacts', 'update'];

interface ImpactRow {
  serviceId: string;
  environmentId: string;
  impact: IncidentImpact;
}

/** Title, severity, affected services × environments with their impact, and an optional first update. */
export function IncidentForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const services = useSuspenseQuery(trpc.services.list.queryOptions(SERVICE_CHOICES));
  const environments = useSuspenseQuery(trpc.environments.list.queryOptions());
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<(typeof INCIDENT_SEVERITIES)[number]>('SEV3');
  const [impacts, setImpacts] = useState<ImpactRow[]>([]);
  const [update, setUpdate] = useState<UpdateDraft>({ body: '', visibility: 'public' });
  const [clientIssues, setClientIssues] = useState<InputIssue[]>([]);

  const create = useMutation(
    trpc.incidents.create.mutationOptions({
      onSuccess: (incident) => {
        toast.success('Incident declared.');
        void queryClient.invalidateQueries({ queryKey: trpc.incidents.pathKey() });
        router.push(`/incidents/${incident.id}`);
      },
    }),
  );
  const { issues, fieldError, message } = stateFormErrors(create.error, clientIssues, FIELDS);
  const impactError = (index: number) =>
    issues.find((i) => i.path[0] === 'impacts' && Number(i.path[1]) === index)?.message ?? null;

  const firstEnvironment = environments.data[0]?.id ?? '';
  const setRow = (index: number, change: Partial<ImpactRow>) =>
    setImpacts((rows) => rows.map((r, i) => (i === index ? { ...r, ...change } : r)));

  function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    create.reset();
    const input = { title, severity, impacts, update: update.body.trim() ? update : undefined };
    const checked = incidentCreateInput.safeParse(input);
    setClientIssues(checked.success ? [] : checked.error.issues);
    if (checked.success) create.mutate(checked.data);
  }

  return (
    <SectionCard title="Incident">
      <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate data-testid="incident-form">
        <Field id="incident-title" label="Title" error={fieldError('title')}>
          {(p) => (
            <Input
              {...p}
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              maxLength={INCIDENT_LIMITS.titleLength}
            />
          )}
        </Field>
        <Field
          id="incident-severity"
          label="Severity"
          error={fieldError('severity')}
          hint="SEV1 is the worst."
        >
          {(p) => (
            <Select {...p} value={severity} onChange={(e) => setSeverity(e.target.value as typeof severity)}>
              {INCIDENT_SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-medium">Affected services</legend>
          {impacts.map((row, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own until saved.
            <div key={index} className="flex flex-col gap-1" data-testid="impact-row">
              <div className="grid gap-2 sm:grid-cols-[2fr_1fr_1.5fr_auto]">
                <Select
                  aria-label={`Affected service ${index + 1}`}
                  aria-invalid={!!impactError(index)}
                  value={row.serviceId}
                  onChange={(e) => setRow(index, { serviceId: e.target.value })}
                >
                  <option value="">Pick a service…</option>
                  {services.data.items.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </Select>
                <Select
                  aria-label={`Environment ${index + 1}`}
                  value={row.environmentId}
                  onChange={(e) => setRow(index, { environmentId: e.target.value })}
                >
                  {environments.data.map((env) => (
                    <option key={env.id} value={env.id}>
                      {env.name}
                    </option>
                  ))}
                </Select>
                <Select
                  aria-label={`Impact ${index + 1}`}
                  value={row.impact}
                  onChange={(e) => setRow(index, { impact: e.target.value as IncidentImpact })}
                >
                  {INCIDENT_IMPACTS.map((i) => (
                    <option key={i} value={i}>
                      {IMPACT_LABEL[i]}
                    </option>
                  ))}
                </Select>
                <Button
                  type="button"
                  variant="outline"
                  aria-label={`Remove affected service ${index + 1}`}
                  onClick={() => setImpacts((rows) => rows.filter((_, i) => i !== index))}
                >
                  Remove
                </Button>
              </div>
              {impactError(index) ? <FieldError>{impactError(index)}</FieldError> : null}
            </div>
          ))}
          {fieldError('impacts') && !impacts.some((_, i) => impactError(i)) ? (
            <FieldError>{fieldError('impacts')}</FieldError>
          ) : null}
          <Button
            type="button"
            variant="outline"
            className="w-fit"
            disabled={impacts.length >= INCIDENT_LIMITS.impacts || !firstEnvironment}
            onClick={() =>
              setImpacts((rows) => [
                ...rows,
                { serviceId: '', environmentId: firstEnvironment, impact: 'partial_outage' },
              ])
            }
          >
            Add affected service
          </Button>
          {services.data.total > services.data.items.length ? (
            <p className="text-xs text-muted-foreground">
              Only the first {services.data.items.length} services by name are offered.
            </p>
          ) : null}
        </fieldset>
        <UpdateFields
          idPrefix="incident-update"
          label="First update (optional)"
          value={update}
          onChange={setUpdate}
          error={fieldError('update')}
        />
        {message ? <FieldError>{message}</FieldError> : null}
        <div className="flex gap-2">
          <Button type="submit" disabled={create.isPending}>
            Declare incident
          </Button>
          <Button type="button" variant="outline" onClick={() => router.push('/incidents')}>
            Cancel
          </Button>
        </div>
      </form>
    </SectionCard>
  );
}
