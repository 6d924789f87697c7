/**
 * OTel metric and attribute names in Prometheus' spelling, as its OTLP receiver writes them
 * (prometheus/prometheus storage/remote/otlptranslator, "UnderscoreEscapingWithSuffixes"): unit suffixes from
 * UCUM, `_total` for monotonic sums, `_ratio` for unit-"1" gauges, invalid characters as `_`.
 */

/** UCUM units (as OTel writes them) to Prometheus' base-unit words. */
const UNITS: Record<string, string> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '1': '',
  '%': 'percent',
};

/** The unit after a `/`, in the singular: `By/s` → `bytes_per_second`. */
const PER_UNITS: Record<string, string> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

const own = (map: Record<string, string>, key: string) => (Object.hasOwn(map, key) ? map[key] : undefined);

/** Characters outside a metric name word become `_`, runs of `_` collapse, and no leading `_` is kept. */
function cleanUnit(unit: string): string {
  return unit
    .replace(/[^a-zA-Z0-9:]/g, '_')
    .replace(/__+/g, '_')
    .replace(/^_/, '');
}

function unitSuffixes(unit: string): [main: string, per: string] {
  const slash = unit.indexOf('/');
  const mainUnit = (slash < 0 ? unit : unit.slice(0, slash)).trim();
  const perUnit = slash < 0 ? '' : unit.slice(slash + 1).trim();
  // Annotations such as `{request}` carry no unit: nothing is appended for them.
  let main = mainUnit && !/[{}]/.test(mainUnit) ? cleanUnit(own(UNITS, mainUnit) ?? mainUnit) : '';
  let per = perUnit && !/[{}]/.test(perUnit) ? cleanUnit(own(PER_UNITS, perUnit) ?? perUnit) : '';
  if (per) {
    per = `per_${per}`;
    main = main.replace(/_$/, '');
  }
  return [main, per];
}

export interface NameShape {
  /** A Sum with is_monotonic: gets `_total`. */
  monotonic: boolean;
  /** A Gauge: with unit "1" it gets `_ratio`. */
  gauge: boolean;
}

/** `http.server.request.duration` in `s` → `http_server_request_duration_seconds`; a monotonic `requests` → `requests_total`. */
export function metricName(name: string, unit: string, shape: NameShape): string {
  let tokens = name.split(/[^a-zA-Z0-9:]+/).filter(Boolean);
  const [main, per] = unitSuffixes(unit);
  if (main && !tokens.includes(main)) tokens.push(main);
  if (per && !tokens.includes(per)) tokens.push(per);
  if (shape.monotonic) tokens = [...tokens.filter((t) => t !== 'total'), 'total'];
  if (unit === '1' && shape.gauge) tokens = [...tokens.filter((t) => t !== 'ratio'), 'ratio'];
  const joined = tokens.join('_');
  return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}

/** `http.route` → `http_route`; `2xx` → `key_2xx`; `_private` → `key_private` (`__x` is kept). */
export function labelName(key: string): string {
  if (key === '') return '';
  const label = key.replace(/[^a-zA-Z0-9_]/g, '_');
  if (/^[0-9]/.test(label)) return `key_${label}`;
  if (label.startsWith('_') && !label.startsWith('__')) return `key${label}`;
  return label;
}
