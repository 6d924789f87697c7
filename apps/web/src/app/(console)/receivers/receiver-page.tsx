'use client';

import { INTEGRATION_KINDS, type IntegrationKind } from '@sextant/db/enums';
import { RECEIVER_LIMITS as L } from '@sextant/trpc/limits';
import { Badge, Button, Input, Select, toast } from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Field } from '~/components/field';
import { Form } from '~/components/form';
import { ConsolePage } from '~/components/page-header';
import { SectionCard } from '~/components/section-card';
import type { RouterOutputs } from '~/lib/router-types';
import { useFormErrors } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';
import { IntegrationFields } from './integration-fields';
import { checkDraft, draftOf, KIND_LABEL, newIntegration, type ReceiverDraft } from './receiver-form';

const BACK = { href: '/receivers', label: 'Receivers' };

/** The editor page: a new receiver, or receiver `id` (viewers see it without controls). */
export function ReceiverPage({ id, canEdit }: { id?: string; canEdit: boolean }) {
  if (!id)
    return (
      <ConsolePage
        width="medium"
        back={BACK}
        title="New receiver"
        description="A named destination routes send to."
      >
        <ReceiverEditor canEdit={canEdit} />
      </ConsolePage>
    );
  return <ExistingReceiver id={id} canEdit={canEdit} />;
}

function ExistingReceiver({ id, canEdit }: { id: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const receiver = useSuspenseQuery(trpc.receivers.get.queryOptions({ id }));
  return (
    <ConsolePage
      width="medium"
      back={BACK}
      title={receiver.data.name}
      description={
        canEdit ? 'Stored secrets are never shown: leave them to keep them.' : 'Maintainers can change it.'
      }
      refreshed={[receiver]}
    >
      <ReceiverEditor
        key={receiver.data.updatedAt.toISOString()}
        receiver={receiver.data}
        canEdit={canEdit}
      />
    </ConsolePage>
  );
}

const byPath = (path: readonly PropertyKey[]) => path.map(String).join('.');

function ReceiverEditor({
  receiver,
  canEdit,
}: {
  receiver?: RouterOutputs['receivers']['get'];
  canEdit: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<ReceiverDraft>(() => draftOf(receiver));
  const [adding, setAdding] = useState<IntegrationKind>('webhook');
  const done = (message: string) => (saved: { id: string }) => {
    toast.success(message);
    void queryClient.invalidateQueries({ queryKey: trpc.receivers.pathKey() });
    router.push(receiver ? '/receivers' : `/receivers/${saved.id}`);
  };
  const create = useMutation(
    trpc.receivers.create.mutationOptions({ onSuccess: done('Created the receiver.') }),
  );
  const update = useMutation(
    trpc.receivers.update.mutationOptions({ onSuccess: done('Saved the receiver.') }),
  );
  const mutation = receiver ? update : create;
  const { errors, message, accept } = useFormErrors<string>(mutation.error, {
    fieldOf: byPath,
    at: 'receiver',
  });

  function onSubmit() {
    mutation.reset();
    const input = accept(checkDraft(draft));
    if (!input) return;
    if (receiver) update.mutate({ id: receiver.id, receiver: input });
    else create.mutate({ receiver: input });
  }
  const integrations = draft.integrations;
  const setIntegrations = (next: typeof integrations) => setDraft({ ...draft, integrations: next });
  const move = (from: number, to: number) => {
    const next = [...integrations];
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved!);
    setIntegrations(next);
  };

  const fields = (
    <fieldset disabled={!canEdit} className="flex flex-col gap-4" data-testid="receiver-fields">
      <Field id="name" label="Name" error={errors.name}>
        {(p) => (
          <Input
            {...p}
            maxLength={L.nameLength}
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          />
        )}
      </Field>
      <Field id="description" label="Description" error={errors.description}>
        {(p) => (
          <Input
            {...p}
            maxLength={L.descriptionLength}
            value={draft.description}
            onChange={(e) => setDraft({ ...draft, description: e.target.value })}
          />
        )}
      </Field>
      {errors.integrations ? <p className="text-sm text-destructive">{errors.integrations}</p> : null}
      {integrations.map((integration, i) => (
        <SectionCard
          key={integration.key}
          testId="integration-editor"
          title={
            <span className="flex items-center gap-2">
              <Badge tone="neutral">{KIND_LABEL[integration.values.kind as IntegrationKind]}</Badge>#{i + 1}
            </span>
          }
          action={
            canEdit ? (
              <div className="flex gap-1">
                <Button
                  type="button"
                  size="sm"
                  variant="outline"
                  disabled={i === 0}
                  onClick={() => move(i, i - 1)}
                >
                  Up
                </Button>
                <Button
                  type="button"
                  size="sm"
                  variant="outline"
                  disabled={i === integrations.length - 1}
                  onClick={() => move(i, i + 1)}
                >
                  Down
                </Button>
                <Button
                  type="button"
                  size="sm"
                  variant="outline"
                  onClick={() => setIntegrations(integrations.filter((_, j) => j !== i))}
                >
                  Remove
                </Button>
              </div>
            ) : null
          }
        >
          <IntegrationFields
            draft={integration}
            base={`integrations.${i}`}
            errors={errors}
            onChange={(values) =>
              setIntegrations(integrations.map((x, j) => (j === i ? { ...x, values } : x)))
            }
          />
        </SectionCard>
      ))}
      {canEdit && integrations.length < L.integrations ? (
        <div className="flex items-end gap-2">
          <Field id="add-kind" label="Add an integration">
            {(p) => (
              <Select {...p} value={adding} onChange={(e) => setAdding(e.target.value as IntegrationKind)}>
                {INTEGRATION_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABEL[k]}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Button
            type="button"
            variant="outline"
            onClick={() => setIntegrations([...integrations, newIntegration(adding)])}
          >
            Add
          </Button>
        </div>
      ) : null}
    </fieldset>
  );

  return (
    <SectionCard title="Receiver" testId="receiver-editor">
      {canEdit ? (
        <Form
          onSubmit={onSubmit}
          message={message}
          submitLabel={receiver ? 'Save receiver' : 'Create receiver'}
          pending={mutation.isPending}
        >
          {fields}
        </Form>
      ) : (
        fields
      )}
    </SectionCard>
  );
}
