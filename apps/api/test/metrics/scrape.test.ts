import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../../src/monitoring/prometheus-text';
import { toBatch } from '../../src/monitoring/scrape';

const TEXT = `# HELP sextant_http_requests_total Requests
# TYPE sextant_http_requests_total counter
sextant_http_requests_total{procedure="system.info",method="GET",status="200"} 7
sextant_http_requests_total{procedure="a,b",method="POST",status="500"} 2
# TYPE sextant_http_request_duration_seconds histogram
sextant_http_request_duration_seconds_bucket{le="0.1",procedure="system.info",method="GET",status="200"} 5
sextant_http_request_duration_seconds_bucket{le="+Inf",procedure="system.info",method="GET",status="200"} 7
sextant_http_request_duration_seconds_sum{procedure="system.info",method="GET",status="200"} 0.42
sextant_http_request_duration_seconds_count{procedure="system.info",method="GET",status="200"} 7
sextant_http_request_duration_seconds_bucket{procedure="other",method="GET",status="200",le="0.1"} 1
sextant_http_request_duration_seconds_bucket{procedure="other",method="GET",status="200",le="+Inf"} 1
sextant_http_request_duration_seconds_sum{procedure="other",method="GET",status="200"} 0.01
sextant_http_request_duration_seconds_count{procedure="other",method="GET",status="200"} 1
# TYPE sextant_process_resident_memory_bytes gauge
sextant_process_resident_memory_bytes 123456789
# TYPE weird gauge
weird{path="a \\"quoted\\" \\\\ value"} 1
not a valid line
# TYPE rpc_seconds summary
rpc_seconds{quantile="0.5"} 0.2
rpc_seconds_sum 1
rpc_seconds_count 5
nan_gauge NaN
`;

describe('Prometheus text scrape', () => {
  it('parses labels with escapes and skips malformed lines', () => {
    const { samples } = parsePrometheusText(TEXT);
    expect(samples.find((s) => s.name === 'weird')?.labels.path).toBe('a "quoted" \\ value');
    expect(samples.some((s) => s.name === 'not')).toBe(false);
  });

  it('turns counters, gauges and labelled histograms into one batch, with target labels and the prefix dropped', () => {
    const batch = toBatch(TEXT, {
      labels: { service: 'sextant-api', environment: 'PRO' },
      stripPrefix: 'sextant_',
    });
    const requests = batch.points.filter((p) => p.name === 'http_requests_total');
    expect(requests).toHaveLength(2);
    expect(requests[1]).toMatchObject({
      kind: 'counter',
      value: 2,
      labels: { procedure: 'a,b', status: '500', service: 'sextant-api' },
    });
    expect(batch.points.find((p) => p.name === 'process_resident_memory_bytes')).toMatchObject({
      kind: 'gauge',
      value: 123456789,
    });
    expect(batch.points.some((p) => p.name.startsWith('rpc_seconds') || p.name === 'nan_gauge')).toBe(false);
    expect(batch.histograms).toHaveLength(2);
    expect(batch.histograms[0]).toMatchObject({
      name: 'http_request_duration_seconds',
      labels: {
        procedure: 'system.info',
        method: 'GET',
        status: '200',
        service: 'sextant-api',
        environment: 'PRO',
      },
      buckets: [
        { le: 0.1, count: 5 },
        { le: '+Inf', count: 7 },
      ],
      sum: 0.42,
      count: 7,
    });
    expect(batch.histograms[1]!.labels.procedure).toBe('other');
  });
});
