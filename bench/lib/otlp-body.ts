// An OTLP ExportMetricsServiceRequest written field by field with protobufjs' Writer, as an exporter would send it.
import protobuf from 'protobufjs/minimal.js';

const LEN = 2;
const I64 = 1;
const tag = (field: number, wire: number) => (field << 3) | wire;

/** Gauge samples; their labels become data point attributes (the resource is empty, so no labels are added). */
export interface GaugeSample {
  labels: Record<string, string>;
  ts: number;
  value: number;
}

/**
 * One resource, one scope, one gauge metric `name` holding every sample as a NumberDataPoint (field numbers from
 * opentelemetry-proto v1 metrics.proto: attributes 7, time_unix_nano 3 as fixed64, as_double 4).
 */
export function otlpGaugeBody(name: string, samples: GaugeSample[]): Buffer {
  const w = protobuf.Writer.create();
  w.uint32(tag(1, LEN)).fork(); // ExportMetricsServiceRequest.resource_metrics
  w.uint32(tag(2, LEN)).fork(); // ResourceMetrics.scope_metrics
  w.uint32(tag(1, LEN)).fork().uint32(tag(1, LEN)).string('bench').ldelim(); // ScopeMetrics.scope{name}
  w.uint32(tag(2, LEN)).fork(); // ScopeMetrics.metrics
  w.uint32(tag(1, LEN)).string(name); // Metric.name
  w.uint32(tag(5, LEN)).fork(); // Metric.gauge
  for (const s of samples) {
    w.uint32(tag(1, LEN)).fork(); // Gauge.data_points
    for (const [key, value] of Object.entries(s.labels)) {
      // NumberDataPoint.attributes: KeyValue{key 1, value 2: AnyValue{string_value 1}}
      w.uint32(tag(7, LEN)).fork().uint32(tag(1, LEN)).string(key);
      w.uint32(tag(2, LEN)).fork().uint32(tag(1, LEN)).string(value).ldelim().ldelim();
    }
    const nanos = BigInt(s.ts) * 1_000_000n;
    w.uint32(tag(3, I64))
      .fixed32(Number(nanos & 0xffffffffn))
      .fixed32(Number(nanos >> 32n));
    w.uint32(tag(4, I64)).double(s.value);
    w.ldelim();
  }
  w.ldelim().ldelim().ldelim().ldelim();
  return Buffer.from(w.finish());
}
