import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@sextant/db/testing';

/** Debian's packages, installed by scripts/ensure-prometheus.mjs (part of `pnpm test`). */
export const BINARIES = {
  prometheus: process.env.PROMETHEUS_PATH || '/usr/bin/prometheus',
  nodeExporter: process.env.NODE_EXPORTER_PATH || '/usr/bin/prometheus-node-exporter',
  alertmanager: process.env.ALERTMANAGER_PATH || '/usr/bin/prometheus-alertmanager',
};

export const missingBinaries = () => Object.values(BINARIES).filter((p) => !existsSync(p));

export interface Running {
  url: string;
  /** host:port, as Prometheus writes it in `instance`. */
  host: string;
  dir: string;
  stop(): Promise<void>;
}

/** Spawns a binary into a temp dir (its log there too) and waits until `readyPath` answers 200. */
async function start(
  binary: string,
  args: (port: number, dir: string) => string[],
  readyPath: string,
  setup?: (dir: string) => Promise<void>,
): Promise<Running> {
  const dir = await mkdtemp(path.join(tmpdir(), `sextant-${path.basename(binary)}-`));
  await setup?.(dir);
  const port = await freePort();
  const log = openSync(path.join(dir, 'log'), 'a');
  const child = spawn(binary, args(port, dir), { stdio: ['ignore', log, log] });
  const host = `127.0.0.1:${port}`;
  const running: Running = { url: `http://${host}`, host, dir, stop: () => stopChild(child, dir) };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${binary} exited with ${child.exitCode}; see ${dir}/log`);
    const ok = await fetch(`${running.url}${readyPath}`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return running;
    if (Date.now() > deadline) {
      await running.stop();
      throw new Error(`${binary} did not answer ${readyPath} within 20 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** SIGTERM by pid, SIGKILL after 5 s; then its temp dir goes. */
async function stopChild(child: ChildProcess, dir: string) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(child.pid!, 'SIGTERM');
    const timer = setTimeout(() => child.pid && process.kill(child.pid, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  await rm(dir, { recursive: true, force: true });
}

/** A node exporter with a few collectors whose series are stable: cpu, meminfo, loadavg, time. */
export function startNodeExporter() {
  return start(
    BINARIES.nodeExporter,
    (port) => [
      `--web.listen-address=127.0.0.1:${port}`,
      '--collector.disable-defaults',
      '--collector.cpu',
      '--collector.meminfo',
      '--collector.loadavg',
      '--collector.time',
      // Its own go_*/promhttp_* series vary with each scrape's timing; not what is compared.
      '--web.disable-exporter-metrics',
    ],
    '/metrics',
  );
}

/** Prometheus on `port` with `dir/prometheus.yml`, its TSDB in `dir`. */
const prometheusArgs = (port: number, dir: string) => [
  `--config.file=${dir}/prometheus.yml`,
  `--storage.tsdb.path=${dir}/data`,
  `--web.listen-address=127.0.0.1:${port}`,
];

/** A Prometheus scraping `target` every second as job "node" and remote-writing everything to `writeUrl`. */
export function startPrometheus(o: { target: string; writeUrl: string; apiKey: string }) {
  const config = `
global:
  scrape_interval: 1s
  evaluation_interval: 1s
  external_labels:
    environment: TEST
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['${o.target}']
remote_write:
  - url: ${o.writeUrl}
    authorization:
      credentials: ${o.apiKey}
    queue_config:
      batch_send_deadline: 1s
    metadata_config:
      send_interval: 1s
`;
  return start(BINARIES.prometheus, prometheusArgs, '/-/ready', (dir) =>
    writeFile(path.join(dir, 'prometheus.yml'), config),
  );
}

/**
 * A Prometheus scraping `target` every second as job "condition", evaluating one alerting rule every second
 * (`sextant_test_condition > 0`, for 0s), and sending its alerts to `alertmanager` (host:port) with the API key.
 */
export function startAlertingPrometheus(o: { target: string; alertmanager: string; apiKey: string }) {
  const config = `
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [rules.yml]
alerting:
  alertmanagers:
    - api_version: v2
      authorization:
        credentials: ${o.apiKey}
      static_configs:
        - targets: ['${o.alertmanager}']
scrape_configs:
  - job_name: condition
    static_configs:
      - targets: ['${o.target}']
`;
  const rules = `
groups:
  - name: sextant-test
    rules:
      - alert: SextantTestCondition
        expr: sextant_test_condition > 0
        labels:
          severity: page
        annotations:
          summary: 'condition is {{ $value }}'
`;
  return start(BINARIES.prometheus, prometheusArgs, '/-/ready', async (dir) => {
    await writeFile(path.join(dir, 'prometheus.yml'), config);
    await writeFile(path.join(dir, 'rules.yml'), rules);
  });
}

/** Prometheus' HTTP API: `query` at `time` (ms), the `data.result` of a success. */
export async function promQuery<T>(prometheus: Running, query: string, timeMs: number): Promise<T[]> {
  const url = `${prometheus.url}/api/v1/query?query=${encodeURIComponent(query)}&time=${timeMs / 1000}`;
  const body = (await (await fetch(url)).json()) as { status: string; data: { result: T[] } };
  if (body.status !== 'success') throw new Error(`${query}: ${JSON.stringify(body)}`);
  return body.data.result;
}

/**
 * A single Alertmanager (clustering off, so no gossip port) with `config` as its alertmanager.yml, its silences and
 * notification log in its temp dir.
 */
export function startAlertmanager(config: string) {
  return start(
    BINARIES.alertmanager,
    (port, dir) => [
      `--config.file=${dir}/alertmanager.yml`,
      `--storage.path=${dir}/data`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=http://127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=debug',
    ],
    '/-/ready',
    (dir) => writeFile(path.join(dir, 'alertmanager.yml'), config),
  );
}
