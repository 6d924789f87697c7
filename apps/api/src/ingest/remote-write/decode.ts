/**
 * A reader for Prometheus remote write 1.0's `prometheus.WriteRequest` (remote.proto / types.proto): the few fields
 * Sextant stores, straight off the bytes. Per series it keeps flat arrays of values and timestamps, so a request of
 * thousands of samples makes no object per sample and none per label message.
 */

export interface WireSeries {
  /** name, value, name, value… in wire order. */
  labels: string[];
  values: number[];
  timestamps: number[];
  /** Stale markers among `values` (Prometheus' special NaN), told apart from other NaNs for the sender's notes. */
  stale: number;
  /** Native histograms: not stored (classic `_bucket` series are). */
  histograms: number;
}

export interface WireRequest {
  timeseries: WireSeries[];
  /** metric_family_name → MetricMetadata.type (COUNTER = 1, GAUGE = 2, HISTOGRAM = 3, SUMMARY = 5…). */
  metadata: Map<string, number>;
  samples: number;
}

export const METADATA_COUNTER = 1;

/** Thrown on bytes that are not a WriteRequest; the route answers 400. */
export class WireError extends Error {}

/** Thrown as soon as the request holds more samples than `maxSamples`; the route answers 400 naming the limit. */
export class TooManySamples extends Error {}

// Prometheus' stale marker: NaN with the payload 0x7ff0000000000002 (model/value/value.go), little endian.
const STALE_HI = 0x7ff00000;
const STALE_LO = 0x00000002;

class Reader {
  pos = 0;
  /** End of the message being read; `enter` narrows it to a nested message, `leave` restores it. */
  end: number;
  constructor(readonly buf: Buffer) {
    this.end = buf.length;
  }

  /** A varint as a JS number: exact up to 2^53, which covers millisecond timestamps and lengths. */
  varint(): number {
    const { buf } = this;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new WireError('truncated varint');
      const b = buf[this.pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new WireError('varint longer than 10 bytes');
  }

  /** Steps into a length-delimited field; returns the outer end for `leave`. */
  enter(): number {
    const length = this.varint();
    if (length > this.end - this.pos) throw new WireError('length runs past the end of its message');
    const outer = this.end;
    this.end = this.pos + length;
    return outer;
  }

  leave(outer: number): void {
    this.pos = this.end;
    this.end = outer;
  }

  string(): string {
    const outer = this.enter();
    const text = this.buf.toString('utf8', this.pos, this.end);
    this.leave(outer);
    return text;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.advance(8);
    else if (wireType === 2) this.leave(this.enter());
    else if (wireType === 5) this.advance(4);
    else throw new WireError(`unsupported wire type ${wireType}`);
  }

  advance(n: number): void {
    if (n > this.end - this.pos) throw new WireError('truncated field');
    this.pos += n;
  }
}

/** Decodes a (snappy-inflated) WriteRequest; throws WireError or TooManySamples. */
export function decodeWriteRequest(buf: Buffer, maxSamples: number): WireRequest {
  const r = new Reader(buf);
  const out: WireRequest = { timeseries: [], metadata: new Map(), samples: 0 };
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag === 0x0a) {
      // TimeSeries timeseries = 1
      const outer = r.enter();
      const series = readSeries(r);
      r.leave(outer);
      out.samples += series.values.length;
      if (out.samples > maxSamples) throw new TooManySamples();
      out.timeseries.push(series);
    } else if (tag === 0x1a) {
      // MetricMetadata metadata = 3
      const outer = r.enter();
      readMetadata(r, out.metadata);
      r.leave(outer);
    } else r.skip(tag & 7);
  }
  return out;
}

/** TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; exemplars = 3; histograms = 4; } */
function readSeries(r: Reader): WireSeries {
  const s: WireSeries = { labels: [], values: [], timestamps: [], stale: 0, histograms: 0 };
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag === 0x0a) {
      // Label { string name = 1; string value = 2; }
      const outer = r.enter();
      let name = '';
      let value = '';
      while (r.pos < r.end) {
        const t = r.varint();
        if (t === 0x0a) name = r.string();
        else if (t === 0x12) value = r.string();
        else r.skip(t & 7);
      }
      r.leave(outer);
      s.labels.push(name, value);
    } else if (tag === 0x12) {
      const outer = r.enter();
      readSample(r, s);
      r.leave(outer);
    } else if (tag === 0x22) {
      r.skip(2);
      s.histograms++;
    } else r.skip(tag & 7);
  }
  return s;
}

/** Sample { double value = 1; int64 timestamp = 2; }: proto3 omits zero fields, so both default to 0. */
function readSample(r: Reader, s: WireSeries): void {
  const { buf } = r;
  let value = 0;
  let stale = false;
  let ts = 0;
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag === 0x09) {
      if (r.end - r.pos < 8) throw new WireError('truncated double');
      value = buf.readDoubleLE(r.pos);
      stale = buf.readUInt32LE(r.pos + 4) === STALE_HI && buf.readUInt32LE(r.pos) === STALE_LO;
      r.pos += 8;
    } else if (tag === 0x10) {
      ts = r.varint();
      // A negative int64 is ten bytes of two's complement: outside any accepted window either way.
      if (ts >= 2 ** 63) ts = -1;
    } else r.skip(tag & 7);
  }
  s.values.push(value);
  s.timestamps.push(ts);
  if (stale) s.stale++;
}

/** MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; } */
function readMetadata(r: Reader, into: Map<string, number>): void {
  let type = 0;
  let name = '';
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag === 0x08) type = r.varint();
    else if (tag === 0x12) name = r.string();
    else r.skip(tag & 7);
  }
  if (name) into.set(name, type);
}
