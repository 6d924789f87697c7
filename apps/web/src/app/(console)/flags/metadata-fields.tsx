'use client';

import { FLAG_LIMITS } from '@sextant/trpc/limits';
import { Input, Select, Textarea } from '@sextant/ui';
import { Field, NumberField } from '~/components/field';
import { readForm } from '~/lib/form-data';
import { parseTags } from '~/lib/tags';

export interface FlagMetadata {
  description: string | null;
  owner: string | null;
  tags: string[];
  staleAfterDays: number;
}

/** The metadata fields of the form, as the API's flag schemas take them. */
export function readFlagMetadata(form: HTMLFormElement): FlagMetadata {
  const text = readForm(form, ['description', 'owner', 'tags', 'staleAfterDays']);
  return {
    description: text.description.trim() || null,
    owner: text.owner || null,
    tags: parseTags(text.tags),
    staleAfterDays: Number(text.staleAfterDays),
  };
}

/** Description, owner, tags and the stale limit: the same fields when a flag is made and when it is edited. */
export function FlagMetadataFields({
  idPrefix,
  errors,
  people,
  initial,
}: {
  idPrefix: string;
  errors: Partial<Record<keyof FlagMetadata, string>>;
  people: { id: string; name: string }[] | undefined;
  initial?: FlagMetadata;
}) {
  const owner = initial?.owner ?? null;
  const optional = initial ? '' : ' (optional)';
  return (
    <>
      <Field id={`${idPrefix}-description`} label={`Description${optional}`} error={errors.description}>
        {(p) => (
          <Textarea
            {...p}
            name="description"
            rows={2}
            maxLength={FLAG_LIMITS.descriptionLength}
            defaultValue={initial?.description ?? ''}
          />
        )}
      </Field>
      <Field id={`${idPrefix}-owner`} label={`Owner${optional}`} error={errors.owner}>
        {(p) => (
          <Select {...p} name="owner" defaultValue={owner ?? ''}>
            <option value="">No owner</option>
            {owner && !people?.some((u) => u.id === owner) ? (
              <option value={owner}>current owner</option>
            ) : null}
            {(people ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field
        id={`${idPrefix}-tags`}
        label={`Tags${optional}`}
        error={errors.tags}
        hint="Separated by commas."
      >
        {(p) => <Input {...p} name="tags" autoComplete="off" defaultValue={initial?.tags.join(', ') ?? ''} />}
      </Field>
      <NumberField
        id={`${idPrefix}-stale`}
        label="Stale after (days without change or evaluation)"
        error={errors.staleAfterDays}
        name="staleAfterDays"
        range={FLAG_LIMITS.staleAfterDays}
        defaultValue={String(initial?.staleAfterDays ?? 30)}
      />
    </>
  );
}
