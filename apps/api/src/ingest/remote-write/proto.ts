import protobuf from 'protobufjs';
import { compress } from 'snappyjs';

/**
 * Remote write 1.0's messages (prometheus/prompb remote.proto and types.proto, the fields senders fill) for
 * protobufjs: a reference encoder and decoder for tests and the bench, written by others, to check decode.ts against.
 */
export const remoteWriteRoot = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: {
          fields: {
            timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 },
            metadata: { rule: 'repeated', type: 'MetricMetadata', id: 3 },
          },
        },
        TimeSeries: {
          fields: {
            labels: { rule: 'repeated', type: 'Label', id: 1 },
            samples: { rule: 'repeated', type: 'Sample', id: 2 },
            exemplars: { rule: 'repeated', type: 'Exemplar', id: 3 },
            histograms: { rule: 'repeated', type: 'Histogram', id: 4 },
          },
        },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
        Exemplar: {
          fields: {
            labels: { rule: 'repeated', type: 'Label', id: 1 },
            value: { type: 'double', id: 2 },
            timestamp: { type: 'int64', id: 3 },
          },
        },
        // Native histograms: only their presence matters to Sextant (they are counted and left out).
        Histogram: {
          fields: {
            countInt: { type: 'uint64', id: 1 },
            sum: { type: 'double', id: 3 },
            schema: { type: 'sint32', id: 4 },
            timestamp: { type: 'int64', id: 15 },
          },
        },
        MetricMetadata: {
          fields: {
            type: { type: 'int32', id: 1 },
            metricFamilyName: { type: 'string', id: 2 },
            help: { type: 'string', id: 4 },
            unit: { type: 'string', id: 5 },
          },
        },
      },
    },
  },
});

export const WriteRequest = remoteWriteRoot.lookupType('prometheus.WriteRequest');

export interface WriteRequestInput {
  timeseries: {
    labels: { name: string; value: string }[];
    samples: { value: number; timestamp: number }[];
    histograms?: { countInt?: number; sum?: number; schema?: number; timestamp?: number }[];
  }[];
  metadata?: { type: number; metricFamilyName: string; help?: string; unit?: string }[];
}

/** A WriteRequest as protobufjs encodes it. */
export function encodeWriteRequest(req: WriteRequestInput): Buffer {
  return Buffer.from(WriteRequest.encode(WriteRequest.fromObject(req)).finish());
}

/** The body a Prometheus sends: the encoded WriteRequest in snappy's block format. */
export function remoteWriteBody(req: WriteRequestInput): Buffer {
  return Buffer.from(compress(encodeWriteRequest(req)));
}
