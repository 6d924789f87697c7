'use client';

import { useState } from 'react';
import { type FieldOf, formErrors, inputField } from './field-errors';

type Checked<I, F extends string> = { input: I } | { errors: Partial<Record<F, string>> };

/**
 * A form's messages: its own client-side check's, then the API's placed on fields by issue path (`at` is the
 * key its input is nested under). `accept` keeps a check's messages and gives the input when it may be sent.
 */
export function useFormErrors<F extends string = string>(
  error: unknown,
  { fieldOf = inputField as FieldOf<F>, at }: { fieldOf?: FieldOf<F>; at?: string } = {},
) {
  const [client, setClient] = useState<Partial<Record<F, string>>>({});
  const { errors, message } = formErrors(error, fieldOf, { at, client });
  function accept<I>(checked: Checked<I, F>): I | null {
    setClient('errors' in checked ? checked.errors : {});
    return 'errors' in checked ? null : checked.input;
  }
  return { errors, message, accept, clear: () => setClient({}) };
}

/**
 * A create-or-edit dialog around one mutation: FormDialog's `open`, `onOpenChange`, `message` and `pending`,
 * the messages per field, and `submit` that drops the last attempt's messages and gives the checked input when
 * it may be sent. Each opening starts from the saved values (`onOpen` resets the form's own state), and closing
 * forgets what the last attempt left behind, a secret shown once included. The caller closes it on success.
 */
export function useFormDialog<F extends string = string>(
  mutation: { error: unknown; isPending: boolean; reset: () => void },
  [open, setOpen]: readonly [boolean, (open: boolean) => void],
  { fieldOf, at, onOpen }: { fieldOf?: FieldOf<F>; at?: string; onOpen?: () => void } = {},
) {
  const { errors, message, accept, clear } = useFormErrors<F>(mutation.error, { fieldOf, at });
  return {
    errors,
    dialog: {
      open,
      message,
      pending: mutation.isPending,
      onOpenChange(next: boolean) {
        setOpen(next);
        mutation.reset();
        clear();
        if (next) onOpen?.();
      },
    },
    submit<I>(checked: Checked<I, F>): I | null {
      mutation.reset();
      return accept(checked);
    },
  };
}
