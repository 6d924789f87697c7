'use client';

import { PROJECT_LIMITS, shareLinkCreateInput } from '@sextant/trpc/schemas';
import { Badge, Input, SecretValue, Select, TableCell, TableRow, toast } from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { SecretShownOnce } from '~/components/action-dialog';
import { ConfirmButton } from '~/components/confirm-button';
import { Field } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { TableCard } from '~/components/table-card';
import { inputField, validate } from '~/lib/field-errors';
import { readForm } from '~/lib/form-data';
import { LocalTime } from '~/lib/local-time';
import type { RouterOutputs } from '~/lib/router-types';
import { useFormDialog } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';

type Link = RouterOutputs['projects']['shareLinks']['list'][number];
const EXPIRY_HOURS = [
  { hours: 24, label: '1 day' },
  { hours: 7 * 24, label: '7 days' },
  { hours: 30 * 24, label: '30 days' },
  { hours: 90 * 24, label: '90 days' },
] as const;
const STATE_TONE = { active: 'success', expired: 'neutral', revoked: 'warning' } as const;

/** Read-only links for people outside Sextant: no sign-in, expiring, revocable at once (archived: revoke only). */
export function ShareLinksCard({ projectId, canCreate }: { projectId: string; canCreate: boolean }) {
  const trpc = useTRPC();
  const links = useSuspenseQuery(trpc.projects.shareLinks.list.queryOptions({ projectId }));
  return (
    <TableCard
      title="Share links"
      description="Anyone with the link sees the dashboard, read-only, until it expires or is revoked."
      action={canCreate ? <CreateShareLink projectId={projectId} /> : undefined}
      columns={[{ label: 'Label' }, { label: 'State' }, { label: 'Expires' }, { label: 'Last used' }]}
      rowActions
      rows={links.data.length}
      empty="No share links."
      testId="share-links"
    >
      {links.data.map((l) => (
        <TableRow key={l.id} data-testid="share-link-row" data-label={l.label ?? ''} data-state={l.state}>
          <TableCell>{l.label ?? '–'}</TableCell>
          <TableCell>
            <Badge tone={STATE_TONE[l.state]}>{l.state}</Badge>
          </TableCell>
          <TableCell className="text-sm">
            <LocalTime value={l.expiresAt} />
          </TableCell>
          <TableCell className="text-sm">
            <LocalTime value={l.lastUsedAt} fallback="never" />
          </TableCell>
          <TableCell className="text-right">
            {l.state === 'active' ? <RevokeLink link={l} /> : null}
          </TableCell>
        </TableRow>
      ))}
    </TableCard>
  );
}

function CreateShareLink({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const create = useMutation(
    trpc.projects.shareLinks.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.projects.shareLinks.pathKey() }),
    }),
  );
  const { errors, dialog, submit } = useFormDialog(create, [open, setOpen]);
  function onSubmit(form: HTMLFormElement) {
    const t = readForm(form, ['label', 'expiresInHours']);
    const input = submit(
      validate(
        shareLinkCreateInput,
        { projectId, label: t.label.trim() || null, expiresInHours: Number(t.expiresInHours) },
        inputField,
      ),
    );
    if (input) create.mutate(input);
  }
  return (
    <FormDialog
      {...dialog}
      createLabel="New share link"
      title="New share link"
      description="The address is shown once; only a hash of it is kept."
      result={
        create.data ? (
          <SecretShownOnce
            title="Share link created"
            description="Copy the address now. It will not be shown again; revoke the link to stop it."
          >
            <SecretValue
              value={`${window.location.origin}/share/${create.data.token}`}
              data-testid="share-url"
            />
          </SecretShownOnce>
        ) : null
      }
      onSubmit={onSubmit}
      submitLabel={create.isPending ? 'Creating…' : 'Create link'}
    >
      <Field
        id="share-label"
        label="Label (optional)"
        error={errors.label}
        hint="Who it is for, e.g. board deck."
      >
        {(c) => <Input {...c} name="label" maxLength={PROJECT_LIMITS.shareLabelLength} autoComplete="off" />}
      </Field>
      <Field id="share-expiry" label="Expires after" error={errors.expiresInHours}>
        {(c) => (
          <Select {...c} name="expiresInHours" defaultValue={String(7 * 24)}>
            {EXPIRY_HOURS.map((e) => (
              <option key={e.hours} value={e.hours}>
                {e.label}
              </option>
            ))}
          </Select>
        )}
      </Field>
    </FormDialog>
  );
}

function RevokeLink({ link }: { link: Link }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const revoke = useMutation(
    trpc.projects.shareLinks.revoke.mutationOptions({
      onSuccess: () => {
        setOpen(false);
        toast.success('Share link revoked.');
        return queryClient.invalidateQueries({ queryKey: trpc.projects.shareLinks.pathKey() });
      },
    }),
  );
  return (
    <ConfirmButton
      label="Revoke"
      variant="destructive"
      title="Revoke this share link?"
      description={`${link.label ? `“${link.label}”` : 'The link'} stops working at once, for everyone who has it.`}
      action={revoke}
      onConfirm={() => revoke.mutate({ id: link.id })}
      open={open}
      onOpenChange={setOpen}
    />
  );
}
