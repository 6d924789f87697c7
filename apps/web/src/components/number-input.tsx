import { Input } from '@sextant/ui';
import type { ControlProps } from './field';

/** A whole-number input bounded like its schema field (ranges from `@sextant/trpc/limits`). */
export function NumberInput({
  control,
  name,
  range,
  defaultValue,
}: {
  control: ControlProps;
  name: string;
  range: { min: number; max: number };
  defaultValue: string;
}) {
  return (
    <Input
      {...control}
      name={name}
      type="number"
      inputMode="numeric"
      min={range.min}
      max={range.max}
      defaultValue={defaultValue}
    />
  );
}
