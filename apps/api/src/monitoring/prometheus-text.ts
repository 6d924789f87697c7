/**
 * Prometheus text exposition format (0.0.4) → samples grouped into families.
 * Hand-written because the npm parser we tried (parse-prometheus-text-format 1.1.1) merges the label sets
 * of labelled histograms and drops `_sum`/`_count`; this one is small and covered by tests.
 */
export type FamilyType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?\s*$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/gy;

function unescapeLabel(v: string): string {
  return v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function parseValue(v: string): number {
  if (v === '+Inf') return Number.POSITIVE_INFINITY;
  if (v === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(v);
}

export function parseLabels(body: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  for (let m = LABEL.exec(body); m; m = LABEL.exec(body)) labels[m[1]!] = unescapeLabel(m[2]!);
  return labels;
}

export interface Parsed {
  types: Map<string, FamilyType>;
  samples: Sample[];
  /** Lines that are neither comments nor samples (counted, never quoted: the answer is not ours to echo). */
  invalidLines: number;
  /** Non-empty lines in all. */
  lines: number;
}

export function parsePrometheusText(text: string): Parsed {
  const types = new Map<string, FamilyType>();
  const samples: Sample[] = [];
  let invalidLines = 0;
  let lines = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    lines += 1;
    if (line.startsWith('#')) {
      const m = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line);
      if (m) types.set(m[1]!, m[2]! as FamilyType);
      continue;
    }
    const m = LINE.exec(line);
    if (!m) {
      // Skipped, not fatal: one bad exporter line must not lose the scrape.
      invalidLines += 1;
      continue;
    }
    samples.push({ name: m[1]!, labels: m[3] ? parseLabels(m[3]) : {}, value: parseValue(m[4]!) });
  }
  return { types, samples, invalidLines, lines };
}
