'use client';

import { Select, toast } from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Field } from '~/components/field';
import { Form } from '~/components/form';
import { SectionCard } from '~/components/section-card';
import { mailIntegrationChoices } from '~/lib/mail-integrations';
import { useFormErrors } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';
import type { Project } from './settings-shared';

const DESCRIPTION =
  'Mondays from 08:00 UTC, to members with the digest on and to subscribers: progress, items done, scope added, health, incidents.';

/** Which email integration sends the project's weekly digest; none = no digest. */
export function DigestCard({ project: p, canWrite }: { project: Project; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const receivers = useSuspenseQuery(trpc.receivers.list.queryOptions());
  const choices = mailIntegrationChoices(receivers.data);
  const [value, setValue] = useState(p.digestIntegrationId ?? '');
  const update = useMutation(
    trpc.projects.update.mutationOptions({
      onSuccess: () => {
        toast.success('Digest setting saved.');
        return queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() });
      },
    }),
  );
  const { errors, message } = useFormErrors(update.error, { at: 'project' });
  const current = choices.find((c) => c.id === p.digestIntegrationId)?.label;

  if (!canWrite)
    return (
      <SectionCard title="Weekly digest" description={DESCRIPTION} testId="digest-summary">
        <p className="text-sm">
          {current ? `Sent through ${current}.` : 'Not sent: no email integration chosen.'}
        </p>
      </SectionCard>
    );
  return (
    <SectionCard title="Weekly digest" description={DESCRIPTION}>
      <Form
        onSubmit={() => update.mutate({ id: p.id, project: { digestIntegrationId: value || null } })}
        message={message}
        submitLabel="Save digest setting"
        pending={update.isPending}
      >
        <Field
          id="project-digest"
          label="Sent through"
          error={errors.digestIntegrationId}
          hint="An email integration of a receiver. Without one no digest goes out."
        >
          {(c) => (
            <Select {...c} value={value} onChange={(e) => setValue(e.target.value)}>
              <option value="">No digest</option>
              {choices.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </Form>
    </SectionCard>
  );
}
