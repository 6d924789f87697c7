'use client';

import { CHECK_CONFIG_LIMITS as LIMITS } from '@sextant/db/check-config';
import { HTTP_METHODS } from '@sextant/db/enums';
import { Checkbox, Input, Label, Select, Textarea } from '@sextant/ui';
import { Field, NumberField, Options } from '~/components/field';
import type { CheckFormErrors, CheckFormValues } from './check-form';

/** Said next to a field holding stored secrets, which the API shows masked to everyone. */
const KEPT = 'Masked values are stored secrets: unchanged — type to replace.';

/**
 * The HTTP half of the check form; uncontrolled, read with FormData on submit. `masked` lists the paths the
 * API masked (e.g. `headers.Authorization`); sending a mask back keeps the stored value.
 */
export function HttpFields({
  values,
  errors,
  masked = [],
}: {
  values: CheckFormValues;
  errors: CheckFormErrors;
  masked?: string[];
}) {
  const has = (prefix: string) => masked.some((p) => p.startsWith(prefix));
  return (
    <>
      <div className="grid gap-4 sm:grid-cols-[8rem_1fr]">
        <Field id="check-method" label="Method" error={errors.method}>
          {(p) => (
            <Select {...p} name="method" defaultValue={values.method}>
              <Options values={HTTP_METHODS} />
            </Select>
          )}
        </Field>
        <Field id="check-url" label="URL" error={errors.url} hint={has('url.') ? KEPT : undefined}>
          {(p) => (
            <Input
              {...p}
              name="url"
              type="url"
              defaultValue={values.url}
              placeholder="https://api.example.com/healthz"
              autoComplete="off"
              maxLength={LIMITS.urlLength}
            />
          )}
        </Field>
      </div>
      <Field
        id="check-expected-status"
        label="Expected status"
        error={errors.expectedStatus}
        hint="Codes or ranges, e.g. 200-399 or 200, 204"
      >
        {(p) => (
          <Input {...p} name="expectedStatus" defaultValue={values.expectedStatus} autoComplete="off" />
        )}
      </Field>
      <Field
        id="check-headers"
        label="Headers (optional)"
        error={errors.headers}
        hint={has('headers.') ? `One per line: "Name: value". ${KEPT}` : 'One per line: "Name: value"'}
      >
        {(p) => (
          <Textarea
            {...p}
            name="headers"
            rows={2}
            defaultValue={values.headers}
            className="font-mono text-xs"
            placeholder="Accept: application/json"
          />
        )}
      </Field>
      <Field
        id="check-body"
        label="Body (optional)"
        error={errors.body}
        hint={has('body') ? KEPT : undefined}
      >
        {(p) => (
          <Textarea {...p} name="body" rows={2} defaultValue={values.body} className="font-mono text-xs" />
        )}
      </Field>
      <Field
        id="check-keyword"
        label="Keyword (optional)"
        error={errors.keyword}
        hint="The response body must contain this text."
      >
        {(p) => (
          <Input {...p} name="keyword" defaultValue={values.keyword} maxLength={LIMITS.keywordLength} />
        )}
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="check-json-path" label="JSON path (optional)" error={errors.jsonPath} hint="e.g. $.status">
          {(p) => <Input {...p} name="jsonPath" defaultValue={values.jsonPath} className="font-mono" />}
        </Field>
        <Field id="check-json-equals" label="Equals" error={errors.jsonEquals} hint="e.g. ok">
          {(p) => (
            <Input
              {...p}
              name="jsonEquals"
              defaultValue={values.jsonEquals}
              maxLength={LIMITS.jsonEqualsLength}
            />
          )}
        </Field>
      </div>
      <div className="flex items-center gap-2">
        <Checkbox
          id="check-follow-redirects"
          name="followRedirects"
          defaultChecked={values.followRedirects}
        />
        <Label htmlFor="check-follow-redirects">Follow redirects</Label>
      </div>
    </>
  );
}

/** The TCP half: a connection to host:port succeeding is the whole check. */
export function TcpFields({ values, errors }: { values: CheckFormValues; errors: CheckFormErrors }) {
  return (
    <div className="grid gap-4 sm:grid-cols-[1fr_8rem]">
      <Field id="check-host" label="Host" error={errors.host}>
        {(p) => (
          <Input {...p} name="host" defaultValue={values.host} placeholder="db.internal" autoComplete="off" />
        )}
      </Field>
      <NumberField
        id="check-port"
        label="Port"
        name="port"
        range={LIMITS.port}
        defaultValue={values.port}
        error={errors.port}
      />
    </div>
  );
}
