'use client';

import { Button, FieldError } from '@sextant/ui';
import { DialogActions } from './action-dialog';

/**
 * A form's body: its fields, the form-level message, then submit (with Cancel in a dialog). The browser's own
 * validation is off: each form checks with the API's schema and puts the messages on its fields.
 */
export function Form({
  onSubmit,
  message,
  submitLabel,
  pending,
  inDialog = false,
  children,
}: {
  /** Called with the form; the page is not reloaded. */
  onSubmit: (form: HTMLFormElement) => void;
  message: string | null;
  submitLabel: string;
  pending: boolean;
  inDialog?: boolean;
  children: React.ReactNode;
}) {
  const submit = (
    <Button type="submit" disabled={pending}>
      {submitLabel}
    </Button>
  );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(e.currentTarget);
      }}
      className="flex flex-col gap-4"
      noValidate
    >
      {children}
      {inDialog ? (
        <DialogActions message={message}>{submit}</DialogActions>
      ) : (
        <>
          {message ? <FieldError>{message}</FieldError> : null}
          {submit}
        </>
      )}
    </form>
  );
}
