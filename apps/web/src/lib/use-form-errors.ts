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
