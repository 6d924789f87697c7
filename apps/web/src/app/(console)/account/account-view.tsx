'use client';

import { passwordChangeInput } from '@sextant/trpc/schemas';
import { Badge, Card, CardDescription, CardHeader, CardTitle, Input, toast } from '@sextant/ui';
import { useMutation } from '@tanstack/react-query';
import { Field } from '~/components/field';
import { Form } from '~/components/form';
import { SectionCard } from '~/components/section-card';
import { inputField, validate } from '~/lib/field-errors';
import { readForm } from '~/lib/form-data';
import { useFormErrors } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';

interface Props {
  email: string;
  role: string;
  mustChangePassword: boolean;
}

const PASSWORDS = [
  { id: 'currentPassword', label: 'Current password', autoComplete: 'current-password' },
  { id: 'newPassword', label: 'New password', autoComplete: 'new-password' },
  { id: 'confirmPassword', label: 'Repeat new password', autoComplete: 'new-password' },
] as const;

export function AccountView({ email, role, mustChangePassword }: Props) {
  const trpc = useTRPC();
  const change = useMutation(
    trpc.me.changePassword.mutationOptions({
      onSuccess: ({ otherSessionsEnded }) => {
        toast.success(
          otherSessionsEnded > 0
            ? `Password changed; ${otherSessionsEnded} other session(s) signed out.`
            : 'Password changed.',
        );
        // The session now allows the whole console; reload so the server re-reads it.
        if (mustChangePassword) window.location.assign('/');
      },
    }),
  );
  const { errors, message, accept } = useFormErrors(change.error);

  function onSubmit(form: HTMLFormElement) {
    const { currentPassword, newPassword, confirmPassword } = readForm(
      form,
      PASSWORDS.map((p) => p.id),
    );
    change.reset(); // only the current attempt's problems should show
    const input = accept(
      validate(
        passwordChangeInput,
        { currentPassword, newPassword },
        inputField,
        newPassword === confirmPassword ? {} : { confirmPassword: 'The two passwords differ.' },
      ),
    );
    if (input) change.mutate(input);
  }

  return (
    <div className="mx-auto flex max-w-xl flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Account</h1>
        <p className="text-sm text-muted-foreground">
          {email} · <Badge tone="info">{role}</Badge>
        </p>
      </div>
      {mustChangePassword ? (
        <Card role="alert" className="border-warning/60">
          <CardHeader>
            <CardTitle>Choose a new password</CardTitle>
            <CardDescription>
              Your password was set by an administrator. Replace it to continue.
            </CardDescription>
          </CardHeader>
        </Card>
      ) : null}
      <SectionCard title="Change password" description="8 to 128 characters. Other sessions are signed out.">
        <Form
          onSubmit={onSubmit}
          message={message}
          submitLabel={change.isPending ? 'Saving…' : 'Change password'}
          pending={change.isPending}
        >
          {PASSWORDS.map((p) => (
            <Field key={p.id} id={p.id} label={p.label} error={errors[p.id]}>
              {(control) => <Input {...control} name={p.id} type="password" autoComplete={p.autoComplete} />}
            </Field>
          ))}
        </Form>
      </SectionCard>
    </div>
  );
}
