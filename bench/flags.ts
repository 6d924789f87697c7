// Feature flags (issue 18): evaluation throughput, as a list of sections each printing its own table.
import { availableParallelism, cpus } from 'node:os';
import { evaluate, type FlagConfigInput, flagConfigSchema, murmur3 } from '@sextant/flags';
import { ofrepEvaluation, streamPropagation } from './flags-http';
import type { Cleanup } from './lib/cleanup';
import { printAligned } from './lib/report';

export const description =
  'local flag evaluations/s in process vs. a Map lookup + murmur3; OFREP req/s vs. bare Fastify; snapshot propagation p99 to 1,000 SSE clients';

const CONTEXTS = Number(process.env.BENCH_FLAGS_CONTEXTS ?? 10_000);
const LOCAL_TARGET_PER_SECOND = 1_000_000;

/** What every section gets: the run's settings and the process cleanup (for servers and clients it starts). */
export interface SectionContext {
  cleanup: Cleanup;
  warmupSeconds: number;
  durationSeconds: number;
}

/**
 * One part of `pnpm bench flags`: measures, prints its table (header + rows: figure, ratio to its baseline,
 * target met) and throws when a measurement failed. Sections run in list order, each with its own baseline.
 */
export interface Section {
  title: string;
  run(ctx: SectionContext): Promise<void>;
}

/** The sections of this bench; the HTTP ones share one built API process (`bench/flags-http.ts`). */
export const SECTIONS: Section[] = [
  { title: 'local evaluation in process', run: localEvaluation },
  { title: 'OFREP single evaluation over HTTP vs. bare Fastify', run: ofrepEvaluation },
  { title: 'snapshot propagation to streaming clients (SSE)', run: streamPropagation },
];

export async function run(cleanup: Cleanup): Promise<void> {
  const warmupSeconds = seconds('BENCH_WARMUP', 2);
  const durationSeconds = seconds('BENCH_DURATION', 10);
  const cpu = cpus()[0]?.model.trim() ?? 'unknown cpu';
  console.log(
    `machine:  ${availableParallelism()} cpus (${cpu}), node ${process.version}, ${process.platform}-${process.arch}`,
  );
  console.log(`settings: ${warmupSeconds} s warm-up + ${durationSeconds} s measured per row`);
  for (const section of SECTIONS) {
    console.log(`\n${section.title}\n`);
    await section.run({ cleanup, warmupSeconds, durationSeconds });
  }
}

function seconds(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return n;
}

/** The flag: IN on country, SEMVER_GT on appVersion, NUM_GTE on age, then a 50 % gradual rollout. */
const FLAG = flagConfigSchema.parse({
  key: 'bench-checkout',
  type: 'boolean',
  enabled: true,
  strategies: [
    {
      type: 'gradualRollout',
      percentage: 50,
      stickiness: 'default',
      constraints: [
        { contextName: 'country', operator: 'IN', values: ['DE', 'FR', 'NL', 'ES', 'IT', 'PL', 'SE', 'AT'] },
        { contextName: 'appVersion', operator: 'SEMVER_GT', value: '2.3.0' },
        { contextName: 'age', operator: 'NUM_GTE', value: '18' },
      ],
    },
  ],
  version: 1,
  environment: 'PRO',
}) as FlagConfigInput;

/** The same flag with a 50/50 string variant split on top: one more hash per evaluation that is on. */
const VARIANT_FLAG = flagConfigSchema.parse({
  ...FLAG,
  key: 'bench-checkout-variant',
  type: 'string',
  variants: [
    { name: 'blue', weight: 500, payload: { type: 'string', value: 'blue' } },
    { name: 'green', weight: 500, payload: { type: 'string', value: 'green' } },
  ],
}) as FlagConfigInput;

/** Random contexts built before timing; most pass every constraint, so the rollout hash runs as it would in use. */
function contexts(n: number) {
  const countries = ['DE', 'FR', 'NL', 'ES', 'IT', 'PL', 'SE', 'AT', 'US', 'GB'];
  const pick = (k: number) => Math.floor(Math.random() * k);
  return Array.from({ length: n }, () => ({
    userId: `user-${pick(1e9)}`,
    country: countries[pick(countries.length)]!,
    appVersion: `${1 + pick(4)}.${pick(10)}.${pick(20)}`,
    age: 12 + pick(60),
  }));
}

/** Calls `batch` (a fixed amount of work) until `seconds` pass; returns calls per second. */
function measure(
  batch: () => number,
  perBatch: number,
  seconds: number,
): { perSecond: number; sink: number } {
  let sink = 0;
  let calls = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  let now = started;
  while (now < until) {
    sink += batch();
    calls += perBatch;
    now = performance.now();
  }
  return { perSecond: calls / ((now - started) / 1000), sink };
}

/**
 * Local evaluations/s: `evaluate` over pre-built contexts, one core. The baseline is the least any evaluation of
 * this flag must do: find the flag in a Map by key and hash "groupId:userId" with murmur3 (the rollout bucket),
 * for the same contexts in the same loop shape, so the ratio is the cost of the constraints, the OpenFeature
 * details and the safety checks over that floor. Rows alternate in slices, so a busy neighbour hits all alike.
 */
async function localEvaluation(ctx: SectionContext): Promise<void> {
  const list = contexts(CONTEXTS);
  const snapshot = new Map<string, FlagConfigInput>([
    [FLAG.key, FLAG],
    [VARIANT_FLAG.key, VARIANT_FLAG],
  ]);
  const baseline = () => {
    let s = 0;
    for (const c of list) {
      const f = snapshot.get(FLAG.key)!;
      s += (murmur3(`${f.key}:${c.userId}`) % 100) + 1;
    }
    return s;
  };
  const boolean = () => {
    let on = 0;
    for (const c of list) if (evaluate(FLAG.key, snapshot.get(FLAG.key), 'boolean', false, c).value) on++;
    return on;
  };
  const variant = () => {
    let blue = 0;
    for (const c of list)
      if (evaluate(VARIANT_FLAG.key, snapshot.get(VARIANT_FLAG.key), 'string', 'none', c).variant === 'blue')
        blue++;
    return blue;
  };
  const rows = [
    { name: 'Map lookup + murmur3 of "groupId:userId" (baseline)', batch: baseline, target: null },
    {
      name: 'evaluate: boolean, 3 constraints + 50 % rollout',
      batch: boolean,
      target: LOCAL_TARGET_PER_SECOND,
    },
    { name: 'evaluate: same + 50/50 string variants', batch: variant, target: null },
  ];
  for (const r of rows) measure(r.batch, list.length, ctx.warmupSeconds / rows.length);
  const slices = 5;
  const totals = rows.map(() => ({ calls: 0, seconds: 0 }));
  for (let i = 0; i < slices; i++)
    rows.forEach((r, k) => {
      const slice = ctx.durationSeconds / slices;
      const { perSecond } = measure(r.batch, list.length, slice);
      totals[k]!.calls += perSecond * slice;
      totals[k]!.seconds += slice;
    });
  const perSecond = totals.map((t) => t.calls / t.seconds);
  // The share turned on, from one pass: shows the rollout and constraints really decide.
  const onShare = boolean() / list.length;
  const fixed = (n: number, d = 0) =>
    n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  printAligned(
    ['row', 'evaluations/s', 'ns each', 'vs base', 'target', 'met'],
    rows.map((r, k) => [
      r.name,
      fixed(perSecond[k]!),
      fixed(1e9 / perSecond[k]!, 1),
      `${fixed(perSecond[k]! / perSecond[0]!, 3)}x`,
      r.target === null ? '' : `≥ ${fixed(r.target)}/s`,
      r.target === null ? '' : perSecond[k]! >= r.target ? 'yes' : 'no',
    ]),
  );
  console.log(
    `\n${list.length.toLocaleString('en-US')} pre-built random contexts, one core; ${(onShare * 100).toFixed(1)} % of them get the flag on`,
  );
}
