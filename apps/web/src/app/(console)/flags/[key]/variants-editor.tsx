'use client';

import { type FlagType, FLAG_CONFIG_LIMITS as L, PAYLOAD_TYPES } from '@sextant/flags';
import { FieldError, Input, Select, Textarea } from '@sextant/ui';
import { type Draft, type DraftVariant, percentToWeight, splitEvenly, weightToPercent } from '~/lib/flags';
import { EditButton } from './edit-button';
import type { IssueAt } from './environment-editor';

/** Payload types each flag type may carry (the schema's rule; it refuses the others at save). */
const PAYLOADS: Record<FlagType, readonly string[]> = {
  boolean: PAYLOAD_TYPES,
  string: ['string', 'csv'],
  number: ['number'],
  json: ['json'],
};

/** Variants with weights shown as 0–100.0 % and stored as integers totalling 1000, and their payloads. */
export function VariantsEditor({
  type,
  draft,
  onChange,
  issueAt,
}: {
  type: FlagType;
  draft: Draft;
  onChange: (d: Draft) => void;
  issueAt: IssueAt;
}) {
  const set = (variants: DraftVariant[]) => onChange({ ...draft, variants });
  const patch = (i: number, p: Partial<DraftVariant>) =>
    set(draft.variants.map((v, j) => (j === i ? { ...v, ...p } : v)));
  const total = draft.variants.reduce((sum, v) => sum + (percentToWeight(v.percent) || 0), 0);
  const payloadTypes = PAYLOADS[type];
  return (
    <div className="flex flex-col gap-3" data-testid="variants">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">Variants</h3>
        <div className="flex gap-2">
          <EditButton
            disabled={draft.variants.length >= L.maxVariants}
            onClick={() => {
              const variants = [
                ...draft.variants,
                {
                  name: `variant-${draft.variants.length + 1}`,
                  percent: '0',
                  payloadType: type === 'boolean' ? '' : (payloadTypes[0] as DraftVariant['payloadType']),
                  payload: '',
                  overrides: [],
                },
              ];
              const weights = splitEvenly(variants.length);
              set(variants.map((v, i) => ({ ...v, percent: weightToPercent(weights[i]!) })));
            }}
          >
            Add variant
          </EditButton>
          <EditButton
            disabled={draft.variants.length === 0}
            onClick={() => {
              const weights = splitEvenly(draft.variants.length);
              set(draft.variants.map((v, i) => ({ ...v, percent: weightToPercent(weights[i]!) })));
            }}
          >
            Split evenly
          </EditButton>
        </div>
      </div>
      {draft.variants.length === 0 ? (
        <p className="text-sm text-muted-foreground">
          No variants{type === 'boolean' ? '' : ': the flag answers the code default when on'}.
        </p>
      ) : (
        <>
          <div className="hidden gap-2 px-2 text-xs text-muted-foreground sm:grid sm:grid-cols-[2fr_1fr_1fr_3fr_auto]">
            <span>Name</span>
            <span>Weight (%)</span>
            <span>Payload type</span>
            <span>Payload</span>
            <span className="w-16" />
          </div>
          {draft.variants.map((v, i) => (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: a variant being renamed keeps its row
              key={i}
              className="grid gap-2 rounded-md border p-2 sm:grid-cols-[2fr_1fr_1fr_3fr_auto]"
              data-testid="variant"
            >
              <div className="flex flex-col gap-1">
                <Input
                  aria-label={`Variant ${i + 1} name`}
                  value={v.name}
                  maxLength={L.maxKeyLength}
                  onChange={(e) => patch(i, { name: e.target.value })}
                />
                {issueAt(`variants.${i}.name`) ? (
                  <FieldError>{issueAt(`variants.${i}.name`)}</FieldError>
                ) : null}
              </div>
              <div className="flex flex-col gap-1">
                <Input
                  aria-label={`Variant ${i + 1} weight (%)`}
                  type="number"
                  min={0}
                  max={100}
                  step={0.1}
                  value={v.percent}
                  onChange={(e) => patch(i, { percent: e.target.value })}
                />
                {issueAt(`variants.${i}.weight`) ? (
                  <FieldError>{issueAt(`variants.${i}.weight`)}</FieldError>
                ) : null}
              </div>
              <Select
                aria-label={`Variant ${i + 1} payload type`}
                value={v.payloadType}
                onChange={(e) => patch(i, { payloadType: e.target.value as DraftVariant['payloadType'] })}
              >
                {type === 'boolean' ? <option value="">no payload</option> : null}
                {payloadTypes.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </Select>
              <div className="flex flex-col gap-1">
                {v.payloadType ? (
                  <Textarea
                    aria-label={`Variant ${i + 1} payload`}
                    rows={1}
                    value={v.payload}
                    maxLength={L.maxPayloadLength}
                    onChange={(e) => patch(i, { payload: e.target.value })}
                  />
                ) : null}
                {issueAt(`variants.${i}.payload`) ? (
                  <FieldError>{issueAt(`variants.${i}.payload`)}</FieldError>
                ) : null}
                {v.overrides.length ? (
                  <span className="text-xs text-muted-foreground">
                    Overrides:{' '}
                    {v.overrides.map((o) => `${o.contextName} in ${o.values.length} values`).join('; ')}
                  </span>
                ) : null}
              </div>
              <EditButton onClick={() => set(draft.variants.filter((_, j) => j !== i))}>Remove</EditButton>
            </div>
          ))}
          <p
            className={
              total === L.variantWeightTotal ? 'text-xs text-muted-foreground' : 'text-xs text-destructive'
            }
            data-testid="variant-total"
          >
            Total {weightToPercent(total)} % ({total} of {L.variantWeightTotal})
          </p>
        </>
      )}
      {issueAt('variants') ? <FieldError>{issueAt('variants')}</FieldError> : null}
    </div>
  );
}
