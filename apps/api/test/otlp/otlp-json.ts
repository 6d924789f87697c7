/** OTLP/JSON bodies for tests, written by hand as a sender would (lowerCamelCase, int64 as strings, enums as ints). */

export const nanos = (ms: number) => `${BigInt(ms) * 1_000_000n}`;

export type Attrs = Record<string, string>;
const attributes = (a: Attrs) => Object.entries(a).map(([key, v]) => ({ key, value: { stringValue: v } }));

export function gaugePoint(ms: number, value: number | string, attrs: Attrs = {}, flags = 0) {
  return {
    timeUnixNano: nanos(ms),
    asDouble: value,
    attributes: attributes(attrs),
    ...(flags ? { flags } : {}),
  };
}

export function exportBody(resource: Attrs, metrics: Record<string, unknown>[]) {
  return {
    resourceMetrics: [
      { resource: { attributes: attributes(resource) }, scopeMetrics: [{ scope: { name: 't' }, metrics }] },
    ],
  };
}
