import { DORA_WINDOW_DAYS } from '@sextant/trpc/limits';

export type DoraDays = (typeof DORA_WINDOW_DAYS)[number];

/** The window from `?days=`: one the dashboard offers, else 30. */
export function readDays(raw: string | string[] | undefined | null): DoraDays {
  const n = Number(Array.isArray(raw) ? raw[0] : raw);
  return (DORA_WINDOW_DAYS as readonly number[]).includes(n) ? (n as DoraDays) : 30;
}
