// Parsing shared by the save-time schema and the evaluator, so both accept exactly the same texts.
import { parseSemver } from './semver';

const NUMERIC = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** A finite number from a decimal text, or undefined (Number('') would be 0, so no Number() shortcut). */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (t.length === 0 || t.length > 64 || !NUMERIC.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** Epoch milliseconds from an RFC 3339 date-time with an explicit zone, or undefined. */
export function parseDateTime(text: string): number | undefined {
  if (text.length > 40) return undefined;
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second, offH, offM] = m.slice(1).map((x) => Number(x ?? 0));
  // Date.parse rolls 2026-02-30 over to March and takes 24:00, so the calendar is checked here.
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth) return undefined;
  if (hour! > 23 || minute! > 59 || second! > 59 || offH! > 23 || offM! > 59) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

export function isSemver(text: string): boolean {
  return parseSemver(text) !== undefined;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Parsed JSON, frozen all the way down so one parsed payload can be handed to every caller. */
export function parseFrozenJson(text: string): JsonValue {
  return deepFreeze(JSON.parse(text) as JsonValue);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
