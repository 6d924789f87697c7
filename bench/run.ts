// Entry point for `pnpm bench [name]`: runs every bench, or only the named one.
import { Cleanup } from './lib/cleanup';

interface Bench {
  description: string;
  run(cleanup: Cleanup): Promise<void>;
}

// Lazy imports: naming one bench does not load the others. Add new benches here.
const benches: Record<string, () => Promise<Bench>> = {
  system: () => import('./system'),
  checks: () => import('./checks'),
  scale: () => import('./scale'),
  ingest: () => import('./ingest'),
  query: () => import('./query'),
  alerts: () => import('./alerts'),
  notify: () => import('./notify'),
  status: () => import('./status'),
  deploy: () => import('./deploy'),
  progress: () => import('./progress'),
  flags: () => import('./flags'),
};

const requested = process.argv.slice(2).filter((a) => a !== '--');
const unknown = requested.filter((name) => !(name in benches));
if (unknown.length > 0) {
  console.error(`bench: unknown bench ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
const names = requested.length > 0 ? requested : Object.keys(benches);

// The bench owns children and a Postgres cluster: a signal must tear them down, not orphan them.
let current: Cleanup | undefined;
const exitCodes = { SIGINT: 130, SIGTERM: 143 } as const;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\nbench: ${signal}, stopping servers and Postgres`);
    void (current?.run() ?? Promise.resolve()).finally(() => process.exit(exitCodes[signal]));
  });
}

let failed = false;
for (const name of names) {
  const bench = await benches[name]!();
  console.log(`\n=== bench ${name}: ${bench.description}`);
  current = new Cleanup();
  try {
    await bench.run(current);
  } catch (err) {
    failed = true;
    console.error(`bench ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await current.run();
    current = undefined;
  }
}
process.exit(failed ? 1 : 0);
