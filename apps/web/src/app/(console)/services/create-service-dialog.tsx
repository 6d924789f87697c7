'use client';

import { SERVICE_TIERS, type ServiceTier } from '@sextant/db/enums';
import { type Role, roleAtLeast, SERVICE_FIELD_ROLES } from '@sextant/db/roles';
import { SERVICE_LIMITS } from '@sextant/trpc/limits';
import { serviceInput } from '@sextant/trpc/schemas';
import { Checkbox, FieldError, Input, Label, Select, Textarea, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Field, Options } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { inputField, validate } from '~/lib/field-errors';
import { readForm } from '~/lib/form-data';
import { parseTags } from '~/lib/tags';
import { useFormDialog } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';

export function CreateServiceDialog({ role }: { role: Role }) {
  const canPublish = roleAtLeast(role, SERVICE_FIELD_ROLES.isPublic);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const create = useMutation(
    trpc.services.create.mutationOptions({
      onSuccess: (service) => {
        toast.success(`Created ${service.name}.`);
        setOpen(false);
        return queryClient.invalidateQueries({ queryKey: trpc.services.list.pathKey() });
      },
    }),
  );
  const { errors, dialog, submit } = useFormDialog(create, [open, setOpen]);

  function onSubmit(form: HTMLFormElement) {
    const text = readForm(form, [
      'name',
      'slug',
      'description',
      'owner',
      'tier',
      'repositoryUrl',
      'tags',
      'isPublic',
    ]);
    const given = (key: keyof typeof text) => text[key].trim() || null;
    const input = submit(
      validate(
        serviceInput,
        {
          name: text.name.trim(),
          slug: given('slug') ?? undefined,
          description: given('description'),
          owner: given('owner'),
          tier: text.tier.trim() as ServiceTier,
          repositoryUrl: given('repositoryUrl'),
          tags: parseTags(text.tags),
          // Sent only by those who may set it; the API refuses it from anyone else.
          ...(canPublish ? { isPublic: text.isPublic === 'on' } : {}),
        },
        inputField,
      ),
    );
    if (input) create.mutate(input);
  }

  return (
    <FormDialog
      {...dialog}
      createLabel="New service"
      title="New service"
      description="Add checks and heartbeats on its page once it exists."
      onSubmit={onSubmit}
      submitLabel={create.isPending ? 'Creating…' : 'Create service'}
    >
      <Field id="service-name" label="Name" error={errors.name}>
        {(p) => <Input {...p} name="name" autoComplete="off" placeholder="e.g. Billing API" />}
      </Field>
      <Field
        id="service-slug"
        label="Slug (optional)"
        error={errors.slug}
        hint="Used in the page address; made from the name when empty."
      >
        {(p) => <Input {...p} name="slug" autoComplete="off" placeholder="billing-api" />}
      </Field>
      <Field id="service-description" label="Description (optional)" error={errors.description}>
        {(p) => <Textarea {...p} name="description" rows={2} maxLength={SERVICE_LIMITS.descriptionLength} />}
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="service-owner" label="Owner (optional)" error={errors.owner}>
          {(p) => <Input {...p} name="owner" autoComplete="off" placeholder="team-payments" />}
        </Field>
        <Field id="service-tier" label="Tier" error={errors.tier}>
          {(p) => (
            <Select {...p} name="tier" defaultValue="standard">
              <Options values={SERVICE_TIERS} />
            </Select>
          )}
        </Field>
      </div>
      <Field id="service-repository" label="Repository URL (optional)" error={errors.repositoryUrl}>
        {(p) => (
          <Input {...p} name="repositoryUrl" type="url" placeholder="https://github.com/acme/billing" />
        )}
      </Field>
      <Field
        id="service-tags"
        label="Tags (optional)"
        error={errors.tags}
        hint="Comma-separated, e.g. payments, eu"
      >
        {(p) => <Input {...p} name="tags" autoComplete="off" />}
      </Field>
      <div className="flex flex-col gap-1.5">
        <div className="flex items-center gap-2">
          <Checkbox
            id="service-public"
            name="isPublic"
            disabled={!canPublish}
            aria-describedby="service-public-hint"
          />
          <Label htmlFor="service-public">Show on public status page</Label>
        </div>
        <p id="service-public-hint" className="text-xs text-muted-foreground">
          {canPublish
            ? 'Only the name, current state and daily uptime are published.'
            : 'Only an admin can put a service on the public status page.'}
        </p>
        {errors.isPublic ? <FieldError>{errors.isPublic}</FieldError> : null}
      </div>
    </FormDialog>
  );
}
