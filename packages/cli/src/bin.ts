import { main } from './main';

main(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`sextant: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
