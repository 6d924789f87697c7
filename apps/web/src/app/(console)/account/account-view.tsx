'use client';

import {
  Badge,
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  FieldError,
  Input,
  Label,
  toast,
} from '@sextant/ui';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { fieldErrors, formError } from '~/lib/field-errors';
import { useTRPC } from '~/trpc/react';

interface Props {
  email: string;
  role: string;
  mustChangePassword: boolean;
}

export function AccountView({ email, role, mustChangePassword }: Props) {
  const trpc = useTRPC();
  const [mismatch, setMismatch] = useState(false);
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
  const errors = fieldErrors(change.error);

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const newPassword = String(form.get('newPassword'));
    setMismatch(newPassword !== String(form.get('confirmPassword')));
    if (newPassword !== String(form.get('confirmPassword'))) return;
    change.mutate({ currentPassword: String(form.get('currentPassword')), newPassword });
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
      <Card>
        <CardHeader>
          <CardTitle>Change password</CardTitle>
          <CardDescription>8 to 128 characters. Other sessions are signed out.</CardDescription>
        </CardHeader>
        <CardContent>
          <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="currentPassword">Current password</Label>
              <Input
                id="currentPassword"
                name="currentPassword"
                type="password"
                autoComplete="current-password"
              />
              {errors.currentPassword ? <FieldError>{errors.currentPassword}</FieldError> : null}
            </div>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="newPassword">New password</Label>
              <Input
                id="newPassword"
                name="newPassword"
                type="password"
                autoComplete="new-password"
                aria-invalid={!!errors.newPassword}
              />
              {errors.newPassword ? <FieldError>{errors.newPassword}</FieldError> : null}
            </div>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="confirmPassword">Repeat new password</Label>
              <Input
                id="confirmPassword"
                name="confirmPassword"
                type="password"
                autoComplete="new-password"
              />
              {mismatch ? <FieldError>The two passwords differ.</FieldError> : null}
            </div>
            {formError(change.error) ? <FieldError>{formError(change.error)}</FieldError> : null}
            <Button type="submit" disabled={change.isPending}>
              {change.isPending ? 'Saving…' : 'Change password'}
            </Button>
          </form>
        </CardContent>
      </Card>
    </div>
  );
}
