/** A problem with one part of a form's input: its path in the input (as zod reports it) and the message. */
export interface InputIssue {
  path: readonly PropertyKey[];
  message: string;
}

export type FieldOf<F extends string> = (path: readonly PropertyKey[]) => F | undefined;

/** The issues of a failed tRPC call, with their full input paths (the API sends `check.config.url`). */
export function serverIssues(error: unknown): InputIssue[] {
  const data = (
    error as { data?: { zodError?: { issues?: { path: string; message: string }[] } | null } } | null
  )?.data;
  return (data?.zodError?.issues ?? []).map((i) => ({
    path: i.path === '' ? [] : i.path.split('.'),
    message: i.message,
  }));
}

/** The form-level message: the server's own words unless it is a per-field validation failure. */
export function formError(error: unknown): string | null {
  if (!error) return null;
  const data = (error as { data?: { zodError?: unknown } } | null)?.data;
  if (data?.zodError) return null;
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/**
 * The form field an issue is about: the first path segment that names one (`config.url` → `url`), unless an
 * alias claims the path or a path below it (`config.jsonPath.equals` → `jsonEquals`).
 */
export function fieldByPath<F extends string>(
  fields: readonly F[],
  aliases: Record<string, F> = {},
): FieldOf<F> {
  return (path) => {
    const joined = path.map(String).join('.');
    for (const [prefix, field] of Object.entries(aliases))
      if (joined === prefix || joined.startsWith(`${prefix}.`)) return field;
    return path.find((s): s is F => fields.includes(s as F));
  };
}

/** First message per field; issues no field claims are returned as `rest`. */
export function issuesByField<F extends string>(
  issues: readonly InputIssue[],
  fieldOf: FieldOf<F>,
): { errors: Partial<Record<F, string>>; rest: string[] } {
  const errors: Partial<Record<F, string>> = {};
  const rest: string[] = [];
  for (const issue of issues) {
    const field = fieldOf(issue.path);
    if (field === undefined) rest.push(issue.message);
    else errors[field] ??= issue.message;
  }
  return { errors, rest };
}

/**
 * A form's field messages and form-level message after a failed call: the server's issues placed by path
 * (below `at`, the key the form's input is nested under), over the form's own client-side ones.
 */
export function formErrors<F extends string>(
  error: unknown,
  fieldOf: FieldOf<F>,
  { at, client = {} }: { at?: string; client?: Partial<Record<F, string>> } = {},
): { errors: Partial<Record<F, string>>; message: string | null } {
  const issues = serverIssues(error).map((i) =>
    at && i.path[0] === at ? { ...i, path: i.path.slice(1) } : i,
  );
  const { errors, rest } = issuesByField(issues, fieldOf);
  return { errors: { ...client, ...errors }, message: formError(error) ?? rest[0] ?? null };
}

/** For a flat input: each issue on the input field its path starts with. */
export const inputField: FieldOf<string> = (path) => (typeof path[0] === 'string' ? path[0] : undefined);

/** zod field errors from a failed tRPC call, keyed by input field, for messages next to each field. */
export function fieldErrors(error: unknown): Record<string, string | undefined> {
  return issuesByField(serverIssues(error), inputField).errors;
}

/**
 * A client-side check with the API's own schema, so mistakes show next to their field before a round trip.
 * `parseErrors` are the form's own (text that is no number, a header line without a colon) and win per field.
 * Issues no field claims are left to the API, which reports them as the form-level message.
 */
export function validate<I, F extends string>(
  schema: { safeParse(v: unknown): { success: boolean; error?: { issues: InputIssue[] } } },
  input: I,
  fieldOf: FieldOf<F>,
  parseErrors: Partial<Record<F, string>> = {},
): { input: I } | { errors: Partial<Record<F, string>> } {
  const { errors } = issuesByField(schema.safeParse(input).error?.issues ?? [], fieldOf);
  const all = { ...errors, ...parseErrors };
  return Object.keys(all).length > 0 ? { errors: all } : { input };
}

/**
 * For forms holding their values in state (matcher lists): the form's own issues, then the API's (those below
 * `at` moved up), a message per top-level field, and the form-level message for issues no field in `fields` claims.
 */
export function stateFormErrors(
  error: unknown,
  clientIssues: readonly InputIssue[],
  fields: readonly string[],
  at?: string,
) {
  const issues = [
    ...clientIssues,
    ...serverIssues(error).map((i) => (at && i.path[0] === at ? { ...i, path: i.path.slice(1) } : i)),
  ];
  const fieldError = (field: string) => issues.find((i) => String(i.path[0]) === field)?.message ?? null;
  const message =
    formError(error) ?? issues.find((i) => !fields.includes(String(i.path[0])))?.message ?? null;
  return { issues, fieldError, message };
}
