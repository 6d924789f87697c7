import { createClient, TRPCClientError } from '@sextant/trpc/client';
import { type Command, parseCommand, USAGE, UsageError } from './args';

export { parseCommand, USAGE, UsageError } from './args';

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export const EXIT = { ok: 0, refused: 1, usage: 2 } as const;

type Client = ReturnType<typeof createClient>;

/** The tRPC endpoint of SEXTANT_API_URL, which may name the API's base or its /trpc. */
export function trpcUrl(base: string) {
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith('/trpc') ? trimmed : `${trimmed}/trpc`;
}

async function run(client: Client, command: Exclude<Command, { kind: 'help' }>, io: Io) {
  if (command.kind === 'report') {
    const r = await client.deployments.report.mutate(command.input);
    const what = r.created ? 'reported' : r.replayed ? 'already reported (replay)' : `moved to ${r.state}`;
    io.out(`${command.input.environment} ${command.input.version}: ${what}`);
    io.out(`deployment ${r.id} release ${r.releaseId} state ${r.state}`);
    return;
  }
  if (command.kind === 'promote') {
    const r = await client.deployments.promote.mutate(command.input);
    const approval = r.approval === 'pending' ? ', waiting for an approval' : '';
    io.out(`queued in ${command.input.environment}${r.override ? ' (override)' : ''}${approval}`);
    io.out(`deployment ${r.id} release ${r.releaseId} state ${r.state}`);
    return;
  }
  const list = await client.deployments.list.query({
    service: command.service,
    environment: command.env,
    limit: command.env ? 1 : 200,
  });
  // Newest first: the first row per environment is what happened last there.
  const seen = new Set<string>();
  for (const d of list.items) {
    if (seen.has(d.environment)) continue;
    seen.add(d.environment);
    const approval = d.approval === 'pending' ? ' (awaiting approval)' : '';
    io.out(`${d.environment}\t${d.version}\t${d.state}${approval}\t${d.queuedAt.toISOString()}\t${d.id}`);
  }
  if (seen.size === 0)
    io.out(`no deployments of ${command.service}${command.env ? ` in ${command.env}` : ''}`);
}

/**
 * The CLI: `argv` without node and the script, the environment it reads SEXTANT_API_URL and SEXTANT_API_KEY
 * from, and where it prints. Resolves to the exit code; never exits the process itself (tests call it).
 */
export async function main(argv: string[], env: Record<string, string | undefined>, io: Io): Promise<number> {
  let command: Command;
  try {
    command = await parseCommand(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`sextant: ${e.message}`);
    io.err(USAGE);
    return EXIT.usage;
  }
  if (command.kind === 'help') {
    io.out(USAGE);
    return EXIT.ok;
  }
  const base = env.SEXTANT_API_URL;
  const apiKey = env.SEXTANT_API_KEY;
  if (!base || !apiKey) {
    io.err('sextant: set SEXTANT_API_URL and SEXTANT_API_KEY.');
    return EXIT.usage;
  }
  try {
    await run(createClient({ url: trpcUrl(base), apiKey }), command, io);
    return EXIT.ok;
  } catch (e) {
    if (!(e instanceof TRPCClientError)) throw e;
    const code = (e.data as { appCode?: string } | undefined)?.appCode ?? 'REQUEST_FAILED';
    io.err(`sextant: ${code}: ${e.message}`);
    return EXIT.refused;
  }
}
