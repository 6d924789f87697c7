/** zod field errors from a failed tRPC call, keyed by input field, for messages next to each field. */
export function fieldErrors(error: unknown): Record<string, string | undefined> {
  const data = (
    error as { data?: { zodError?: { fieldErrors?: Record<string, string[] | undefined> } | null } } | null
  )?.data;
  const errors = data?.zodError?.fieldErrors ?? {};
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v?.[0]]));
}

/** The form-level message: the server's own words unless it is a per-field validation failure. */
export function formError(error: unknown): string | null {
  if (!error) return null;
  const data = (error as { data?: { zodError?: unknown } } | null)?.data;
  if (data?.zodError) return null;
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/**
 * For inputs nested under one key (e.g. `check`), zod reports only the first message for that key; the
 * API's known sentences say which form field it is about. Unknown ones become the form-level message.
 */
export function nestedFormErrors<F extends string>(
  error: unknown,
  key: string,
  messageField: Record<string, F>,
  client: Partial<Record<F, string>>,
): { errors: Partial<Record<F, string>>; message: string | null } {
  const nested = fieldErrors(error)[key];
  const field = nested ? messageField[nested] : undefined;
  return {
    errors: field ? { ...client, [field]: nested } : client,
    message: formError(error) ?? (nested && !field ? nested : null),
  };
}
