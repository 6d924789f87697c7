/** What to do when no service has pushed metrics yet. */
export function FleetEmpty() {
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="fleet-empty">
      <p className="font-medium">No metrics in this range.</p>
      <p className="text-muted-foreground">
        Services send Prometheus-style samples with <code className="font-mono">service</code> and{' '}
        <code className="font-mono">environment</code> labels:{' '}
        <code className="font-mono">POST /v1/metrics</code> on the API with{' '}
        <code className="font-mono">Authorization: Bearer &lt;API key&gt;</code> (a maintainer key), or the
        typed <code className="font-mono">metrics.push</code> procedure from TypeScript.
      </p>
      <p className="text-muted-foreground">
        Sextant also records its own API as <code className="font-mono">sextant-api</code> in{' '}
        <code className="font-mono">PRO</code>; it shows up here within a minute of the API starting.
      </p>
    </div>
  );
}
