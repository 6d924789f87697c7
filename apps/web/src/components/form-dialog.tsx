'use client';

import { Button } from '@sextant/ui';
import { useHydrated } from '~/lib/local-time';
import { ActionDialog } from './action-dialog';
import { Form } from './form';

/**
 * One create-or-edit form in a dialog: the trigger ("Edit", or the create label), title, description,
 * the fields, a form-level message, Cancel and submit; then, for a create that returns a secret, that secret
 * in its place. Triggers stay disabled until hydrated: an earlier click would do nothing.
 */
export function FormDialog({
  open,
  onOpenChange,
  editing = false,
  createLabel,
  title,
  description,
  wide = false,
  result = null,
  onSubmit,
  message,
  submitLabel,
  pending,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  editing?: boolean;
  createLabel: string;
  title: string;
  description: React.ReactNode;
  wide?: boolean;
  /** Shown instead of the form once the action succeeded (e.g. a `SecretShownOnce`); null until then. */
  result?: React.ReactNode;
  onSubmit: (form: HTMLFormElement) => void;
  message: string | null;
  submitLabel: string;
  pending: boolean;
  children: React.ReactNode;
}) {
  const hydrated = useHydrated();
  return (
    <ActionDialog
      open={open}
      onOpenChange={onOpenChange}
      trigger={
        editing ? (
          <Button size="sm" variant="outline" disabled={!hydrated}>
            Edit
          </Button>
        ) : (
          <Button disabled={!hydrated}>{createLabel}</Button>
        )
      }
      className={`max-h-[90vh] overflow-y-auto${wide ? ' max-w-2xl' : ''}`}
      title={title}
      description={description}
      result={result}
    >
      <Form onSubmit={onSubmit} message={message} submitLabel={submitLabel} pending={pending} inDialog>
        {children}
      </Form>
    </ActionDialog>
  );
}
