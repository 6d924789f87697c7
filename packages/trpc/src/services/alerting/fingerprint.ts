/**
 * Alert identity (spec A1): an alert is its label set, nothing else. The fingerprint is Prometheus' label signature
 * (prometheus/common model/signature.go): 64-bit FNV-1a over the labels sorted by name, each fed as
 * name, 0xff, value, 0xff (UTF-8 bytes), printed as 16 lower-case hex digits like Alertmanager's Fingerprint.String().
 */

import type { Labels } from './matchers';

const SURROGATE = /[\ud800-\udfff]/;

/** Bytewise order of the UTF-8 names, as Go's sort.Strings; JS' UTF-16 order agrees unless a surrogate is involved. */
const byteOrder = (a: string, b: string): number => {
  if (SURROGATE.test(a) || SURROGATE.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : a > b ? 1 : 0;
};

/**
 * FNV-1a 64 on four 16-bit limbs (h0 lowest) so every product stays exact in a double; the prime is 2^40 + 0x1b3.
 * Strings are fed as UTF-8 without allocating (a lone surrogate as U+FFFD, like TextEncoder): 20,000 instances are
 * fingerprinted every evaluation round, and BigInt or per-string buffers cost ~10x more.
 */
class Fnv1a64 {
  private h0 = 0x2325;
  private h1 = 0x8422;
  private h2 = 0x9ce4;
  private h3 = 0xcbf2;

  byte(b: number): void {
    const h0 = this.h0 ^ b;
    const t0 = h0 * 0x1b3;
    const t1 = this.h1 * 0x1b3 + (t0 >>> 16);
    const t2 = this.h2 * 0x1b3 + h0 * 0x100 + (t1 >>> 16);
    const t3 = this.h3 * 0x1b3 + this.h1 * 0x100 + (t2 >>> 16);
    this.h0 = t0 & 0xffff;
    this.h1 = t1 & 0xffff;
    this.h2 = t2 & 0xffff;
    this.h3 = t3 & 0xffff;
  }

  string(s: string): void {
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) {
        this.byte(c);
        continue;
      }
      if (c < 0x800) {
        this.byte(0xc0 | (c >> 6));
        this.byte(0x80 | (c & 0x3f));
        continue;
      }
      const low = c >= 0xd800 && c < 0xdc00 ? s.charCodeAt(i + 1) : 0;
      if (low >= 0xdc00 && low < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
        this.byte(0xf0 | (c >> 18));
        this.byte(0x80 | ((c >> 12) & 0x3f));
      } else {
        if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
        this.byte(0xe0 | (c >> 12));
      }
      this.byte(0x80 | ((c >> 6) & 0x3f));
      this.byte(0x80 | (c & 0x3f));
    }
  }

  hex(): string {
    return [this.h3, this.h2, this.h1, this.h0].map((limb) => limb.toString(16).padStart(4, '0')).join('');
  }
}

/** Labels with an empty value are the same as absent ones (Prometheus semantics; AM drops them on ingest). */
export const withoutEmpty = (labels: Labels): Record<string, string> =>
  Object.fromEntries(Object.entries(labels).filter(([, value]) => value !== ''));

/** Prometheus' LabelsToSignature / Fingerprint of a label set, as the 16-hex-digit string AM puts in payloads. */
export const fingerprint = (labels: Labels): string => {
  const hash = new Fnv1a64();
  for (const name of Object.keys(labels).sort(byteOrder)) {
    const value = labels[name]!;
    if (value === '') continue;
    hash.string(name);
    hash.byte(0xff);
    hash.string(value);
    hash.byte(0xff);
  }
  return hash.hex();
};

/**
 * The label set of a rule's alert (spec A2.2): the series labels without the metric name, then the rule's labels
 * (they override), then alertname. Empty values drop the label, as in Prometheus.
 */
export const alertLabels = (
  seriesLabels: Labels,
  ruleLabels: Labels,
  alertname: string,
): Record<string, string> => {
  const { __name__: _metric, ...series } = seriesLabels;
  return withoutEmpty({ ...series, ...ruleLabels, alertname });
};

/** Go's %q for ASCII: JSON's escapes, with \a, \v and \xNN where Go differs (non-ASCII is kept as is). */
const GO_ESCAPES: Record<string, string> = { '07': '\\a', '0b': '\\v' };
// An escaped backslash is consumed first so a literal "\u0007" in a value is never taken for an escape.
const quote = (value: string): string =>
  JSON.stringify(value).replace(/\\\\|\\u00([01][0-9a-f])|\x7f/g, (match, hex?: string) => {
    if (match === '\x7f') return '\\x7f';
    return hex ? (GO_ESCAPES[hex] ?? `\\x${hex}`) : match;
  });

/** LabelSet.String() of prometheus/common: `{a="1", b="2"}` sorted by name; also the group-label rendering. */
export const renderLabels = (labels: Labels): string =>
  `{${Object.keys(labels)
    .sort(byteOrder)
    .map((name) => `${name}=${quote(labels[name]!)}`)
    .join(', ')}}`;

/**
 * Group labels (spec A1.4): the alert's labels named in group_by (absent ones stay absent); `...` means all labels,
 * an empty group_by means none (one group per route).
 */
export const groupLabels = (labels: Labels, groupBy: readonly string[]): Record<string, string> => {
  if (groupBy.length === 1 && groupBy[0] === '...') return { ...labels };
  return Object.fromEntries(groupBy.filter((name) => labels[name] !== undefined).map((n) => [n, labels[n]!]));
};

/** Group key (spec A1.5): route key, ":", rendered group labels, e.g. `{}/{team="db"}:{alertname="DiskFull"}`. */
export const groupKey = (routeKey: string, group: Labels): string => `${routeKey}:${renderLabels(group)}`;
