import protobuf from 'protobufjs/light.js';

/**
 * The subset of OTLP metrics Sextant reads, as a protobufjs JSON descriptor (no codegen step). Field numbers are
 * transcribed from opentelemetry-proto v1 (common/v1/common.proto, resource/v1/resource.proto,
 * metrics/v1/metrics.proto, collector/metrics/v1/metrics_service.proto) and google/rpc/status.proto. Field names
 * are lowerCamelCase, which is also the OTLP/JSON spelling, so one descriptor reads both encodings. Fields we do
 * not use (exemplars, min/max, descriptions, schema URLs, scope attributes) are left out: protobuf skips them.
 */
const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });
const optional = (type: string, id: number) => ({ type, id, options: { proto3_optional: true } });

const descriptor = {
  nested: {
    common: {
      nested: {
        AnyValue: {
          oneofs: {
            value: {
              oneof: [
                'stringValue',
                'boolValue',
                'intValue',
                'doubleValue',
                'arrayValue',
                'kvlistValue',
                'bytesValue',
              ],
            },
          },
          fields: {
            stringValue: { type: 'string', id: 1 },
            boolValue: { type: 'bool', id: 2 },
            intValue: { type: 'int64', id: 3 },
            doubleValue: { type: 'double', id: 4 },
            arrayValue: { type: 'ArrayValue', id: 5 },
            kvlistValue: { type: 'KeyValueList', id: 6 },
            bytesValue: { type: 'bytes', id: 7 },
          },
        },
        ArrayValue: { fields: { values: repeated('AnyValue', 1) } },
        KeyValueList: { fields: { values: repeated('KeyValue', 1) } },
        KeyValue: { fields: { key: { type: 'string', id: 1 }, value: { type: 'AnyValue', id: 2 } } },
        InstrumentationScope: {
          fields: { name: { type: 'string', id: 1 }, version: { type: 'string', id: 2 } },
        },
        Resource: { fields: { attributes: repeated('KeyValue', 1) } },
      },
    },
    metrics: {
      nested: {
        ExportMetricsServiceRequest: { fields: { resourceMetrics: repeated('ResourceMetrics', 1) } },
        ExportMetricsServiceResponse: {
          fields: { partialSuccess: { type: 'ExportMetricsPartialSuccess', id: 1 } },
        },
        ExportMetricsPartialSuccess: {
          fields: { rejectedDataPoints: { type: 'int64', id: 1 }, errorMessage: { type: 'string', id: 2 } },
        },
        ResourceMetrics: {
          fields: {
            resource: { type: 'common.Resource', id: 1 },
            scopeMetrics: repeated('ScopeMetrics', 2),
          },
        },
        ScopeMetrics: {
          fields: { scope: { type: 'common.InstrumentationScope', id: 1 }, metrics: repeated('Metric', 2) },
        },
        Metric: {
          oneofs: { data: { oneof: ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] } },
          fields: {
            name: { type: 'string', id: 1 },
            unit: { type: 'string', id: 3 },
            gauge: { type: 'Gauge', id: 5 },
            sum: { type: 'Sum', id: 7 },
            histogram: { type: 'Histogram', id: 9 },
            exponentialHistogram: { type: 'ExponentialHistogram', id: 10 },
            summary: { type: 'Summary', id: 11 },
          },
        },
        AggregationTemporality: {
          values: {
            AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
            AGGREGATION_TEMPORALITY_DELTA: 1,
            AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
          },
        },
        Gauge: { fields: { dataPoints: repeated('NumberDataPoint', 1) } },
        Sum: {
          fields: {
            dataPoints: repeated('NumberDataPoint', 1),
            aggregationTemporality: { type: 'AggregationTemporality', id: 2 },
            isMonotonic: { type: 'bool', id: 3 },
          },
        },
        Histogram: {
          fields: {
            dataPoints: repeated('HistogramDataPoint', 1),
            aggregationTemporality: { type: 'AggregationTemporality', id: 2 },
          },
        },
        ExponentialHistogram: {
          fields: {
            dataPoints: repeated('ExponentialHistogramDataPoint', 1),
            aggregationTemporality: { type: 'AggregationTemporality', id: 2 },
          },
        },
        Summary: { fields: { dataPoints: repeated('SummaryDataPoint', 1) } },
        NumberDataPoint: {
          oneofs: { value: { oneof: ['asDouble', 'asInt'] } },
          fields: {
            attributes: repeated('common.KeyValue', 7),
            timeUnixNano: { type: 'fixed64', id: 3 },
            asDouble: { type: 'double', id: 4 },
            asInt: { type: 'sfixed64', id: 6 },
            flags: { type: 'uint32', id: 8 },
          },
        },
        HistogramDataPoint: {
          oneofs: { _sum: { oneof: ['sum'] } },
          fields: {
            attributes: repeated('common.KeyValue', 9),
            timeUnixNano: { type: 'fixed64', id: 3 },
            count: { type: 'fixed64', id: 4 },
            sum: optional('double', 5),
            bucketCounts: repeated('fixed64', 6),
            explicitBounds: repeated('double', 7),
            flags: { type: 'uint32', id: 10 },
          },
        },
        ExponentialHistogramDataPoint: {
          oneofs: { _sum: { oneof: ['sum'] } },
          fields: {
            attributes: repeated('common.KeyValue', 1),
            timeUnixNano: { type: 'fixed64', id: 3 },
            count: { type: 'fixed64', id: 4 },
            sum: optional('double', 5),
            scale: { type: 'sint32', id: 6 },
            zeroCount: { type: 'fixed64', id: 7 },
            positive: { type: 'Buckets', id: 8 },
            negative: { type: 'Buckets', id: 9 },
            flags: { type: 'uint32', id: 10 },
            zeroThreshold: { type: 'double', id: 14 },
          },
          nested: {
            Buckets: { fields: { offset: { type: 'sint32', id: 1 }, bucketCounts: repeated('uint64', 2) } },
          },
        },
        SummaryDataPoint: {
          fields: {
            attributes: repeated('common.KeyValue', 7),
            timeUnixNano: { type: 'fixed64', id: 3 },
            count: { type: 'fixed64', id: 4 },
            sum: { type: 'double', id: 5 },
            quantileValues: repeated('ValueAtQuantile', 6),
            flags: { type: 'uint32', id: 8 },
          },
          nested: {
            ValueAtQuantile: {
              fields: { quantile: { type: 'double', id: 1 }, value: { type: 'double', id: 2 } },
            },
          },
        },
      },
    },
    rpc: {
      nested: {
        // google.rpc.Status, the body of an OTLP/HTTP error; `details` (repeated Any, 3) is never sent.
        Status: { fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } } },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(descriptor);
export const ExportRequest = root.lookupType('metrics.ExportMetricsServiceRequest');
export const ExportResponse = root.lookupType('metrics.ExportMetricsServiceResponse');
export const RpcStatus = root.lookupType('rpc.Status');

/** A 64-bit field as protobufjs hands it over: a Long (with `long` installed) or a plain number. */
export type Int64 = number | { low: number; high: number; unsigned: boolean };

export interface KeyValue {
  key: string;
  value?: AnyValue | null;
}
export interface AnyValue {
  value?: string;
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Int64;
  doubleValue?: number;
  arrayValue?: { values: AnyValue[] } | null;
  kvlistValue?: { values: KeyValue[] } | null;
  bytesValue?: Uint8Array;
}
export interface NumberDataPoint {
  attributes: KeyValue[];
  timeUnixNano: Int64;
  value?: 'asDouble' | 'asInt';
  asDouble: number;
  asInt: Int64;
  flags: number;
}
export interface HistogramDataPoint {
  attributes: KeyValue[];
  timeUnixNano: Int64;
  count: Int64;
  sum: number | null;
  bucketCounts: Int64[];
  explicitBounds: number[];
  flags: number;
}
export interface ExponentialBuckets {
  offset: number;
  bucketCounts: Int64[];
}
export interface ExponentialHistogramDataPoint {
  attributes: KeyValue[];
  timeUnixNano: Int64;
  count: Int64;
  sum: number | null;
  scale: number;
  zeroCount: Int64;
  positive?: ExponentialBuckets | null;
  negative?: ExponentialBuckets | null;
  flags: number;
  zeroThreshold: number;
}
export interface SummaryDataPoint {
  attributes: KeyValue[];
  timeUnixNano: Int64;
  count: Int64;
  sum: number;
  quantileValues: { quantile: number; value: number }[];
  flags: number;
}
export interface Metric {
  name: string;
  unit: string;
  data?: 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';
  gauge?: { dataPoints: NumberDataPoint[] } | null;
  sum?: { dataPoints: NumberDataPoint[]; aggregationTemporality: number; isMonotonic: boolean } | null;
  histogram?: { dataPoints: HistogramDataPoint[]; aggregationTemporality: number } | null;
  exponentialHistogram?: {
    dataPoints: ExponentialHistogramDataPoint[];
    aggregationTemporality: number;
  } | null;
  summary?: { dataPoints: SummaryDataPoint[] } | null;
}
export interface ExportMetricsServiceRequest {
  resourceMetrics: {
    resource?: { attributes: KeyValue[] } | null;
    scopeMetrics: { metrics: Metric[] }[];
  }[];
}

/** AggregationTemporality values (metrics.proto). */
export const TEMPORALITY = { delta: 1, cumulative: 2 } as const;
/** DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK: the point is a staleness marker, not a value. */
export const NO_RECORDED_VALUE = 1;
