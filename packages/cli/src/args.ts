import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { deploymentPromoteInput, deploymentReportInput } from '@sextant/trpc/schemas';
import type { z } from 'zod';

/** A command line the CLI cannot run: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export const USAGE = `Usage:
  sextant deploy report  --service <slug> --env <name> --version <v> [--sha <sha>] [--state <state>]
                         [--external-id <id>] [--commits-file <path>]
  sextant deploy promote --release <id> --env <name> [--override-reason <text>]
  sextant deploy status  --service <slug> [--env <name>]

Environment: SEXTANT_API_URL (the API's base URL), SEXTANT_API_KEY (a maintainer API key).
Exit codes: 0 done, 1 refused by the API (its code is printed), 2 usage.`;

const OPTIONS = {
  service: { type: 'string' },
  env: { type: 'string' },
  version: { type: 'string' },
  sha: { type: 'string' },
  state: { type: 'string' },
  'external-id': { type: 'string' },
  'commits-file': { type: 'string' },
  release: { type: 'string' },
  'override-reason': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Largest commits file read: the API takes at most 500 commits, which fit well inside this. */
const COMMITS_FILE_BYTES = 1_048_576;

export type Command =
  | { kind: 'help' }
  | { kind: 'report'; input: z.infer<typeof deploymentReportInput> }
  | { kind: 'promote'; input: z.infer<typeof deploymentPromoteInput> }
  | { kind: 'status'; service: string; env?: string };

function firstProblem(error: z.ZodError) {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || 'input'}: ${issue.message}`;
}

/**
 * A commits file: a JSON array of {sha, committedAt, message?}, or the lines of
 * `git log --format='%H %cI %s'` (sha, ISO time, then the subject).
 */
export async function readCommits(path: string) {
  const text = await readFile(path, 'utf8').catch((e: Error) => {
    throw new UsageError(`--commits-file: ${e.message}`);
  });
  if (text.length > COMMITS_FILE_BYTES) throw new UsageError('--commits-file: larger than 1 MB.');
  if (text.trimStart().startsWith('['))
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new UsageError('--commits-file: not valid JSON.');
    }
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((line) => {
      const [sha, committedAt, ...message] = line.trim().split(' ');
      return { sha, committedAt, ...(message.length ? { message: message.join(' ') } : {}) };
    });
}

/** The command `argv` asks for, validated with the API's own schemas before any request. */
export async function parseCommand(argv: string[]): Promise<Command> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.help || positionals.length === 0) return { kind: 'help' };
  const [group, action, ...rest] = positionals;
  if (group !== 'deploy' || rest.length > 0)
    throw new UsageError(`Unknown command "${positionals.join(' ')}".`);
  const need = (name: keyof typeof v) => {
    const value = v[name];
    if (typeof value !== 'string' || !value.trim()) throw new UsageError(`--${name} is required.`);
    return value;
  };
  if (action === 'report') {
    const candidate = {
      service: need('service'),
      environment: need('env'),
      version: need('version'),
      commitSha: v.sha,
      state: v.state ?? 'succeeded',
      externalId: v['external-id'],
      commits: v['commits-file'] ? await readCommits(v['commits-file']) : undefined,
    };
    const input = deploymentReportInput.safeParse(candidate);
    if (!input.success) throw new UsageError(firstProblem(input.error));
    return { kind: 'report', input: input.data };
  }
  if (action === 'promote') {
    const reason = v['override-reason'];
    const input = deploymentPromoteInput.safeParse({
      releaseId: need('release'),
      environment: need('env'),
      override: reason === undefined ? undefined : { reason },
    });
    if (!input.success) throw new UsageError(firstProblem(input.error));
    return { kind: 'promote', input: input.data };
  }
  if (action === 'status') return { kind: 'status', service: need('service'), env: v.env };
  throw new UsageError(`Unknown command "deploy ${action ?? ''}".`);
}
