import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, main, parseCommand, trpcUrl } from '../src/main';

const io = () => {
  const lines: string[] = [];
  return { lines, io: { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) } };
};
const ENV = { SEXTANT_API_URL: 'http://127.0.0.1:9', SEXTANT_API_KEY: 'sxt_test' };

describe('the CLI refuses bad command lines with exit code 2 before any request', () => {
  for (const [what, argv, says] of [
    ['an unknown command', ['deploy', 'ship'], 'Unknown command'],
    ['an unknown option', ['deploy', 'status', '--service', 'a', '--colour'], "Unknown option '--colour'"],
    ['a missing --env', ['deploy', 'report', '--service', 'a', '--version', '1'], '--env is required'],
    [
      'a bad state',
      ['deploy', 'report', '--service', 'a', '--env', 'DEV', '--version', '1', '--state', 'done'],
      'state',
    ],
    [
      'a bad SHA',
      ['deploy', 'report', '--service', 'a', '--env', 'DEV', '--version', '1', '--sha', 'xyz'],
      'commitSha',
    ],
    ['a release that is not an id', ['deploy', 'promote', '--release', '42', '--env', 'FAT'], 'releaseId'],
    [
      'an empty override reason',
      ['deploy', 'promote', '--release', crypto.randomUUID(), '--env', 'PRO', '--override-reason', ' '],
      'override.reason',
    ],
  ] as const) {
    it(what, async () => {
      const { lines, io: out } = io();
      expect(await main([...argv], ENV, out)).toBe(EXIT.usage);
      expect(lines.join('\n')).toContain(says);
      expect(lines.join('\n')).toContain('Usage:');
    });
  }

  it('without SEXTANT_API_URL or SEXTANT_API_KEY: exit 2 and says which are needed', async () => {
    const { lines, io: out } = io();
    expect(await main(['deploy', 'status', '--service', 'a'], { SEXTANT_API_URL: 'http://x' }, out)).toBe(
      EXIT.usage,
    );
    expect(lines.join('\n')).toContain('SEXTANT_API_KEY');
  });

  it('no arguments or --help prints the usage with exit 0', async () => {
    const { lines, io: out } = io();
    expect(await main(['--help'], {}, out)).toBe(EXIT.ok);
    expect(lines[0]).toContain('Usage:');
  });
});

describe('commits files and the API URL', () => {
  it('reads git log lines (sha, ISO time, subject) and JSON arrays; a bad line is a usage error', async () => {
    const dir = tmpdir();
    const lines = join(dir, `commits-${process.pid}.txt`);
    await writeFile(
      lines,
      'abc1234 2026-11-30T09:00:00Z Fix the thing\n\nDEF5678 2026-11-30T10:00:00+01:00 Ship\n',
    );
    const base = ['deploy', 'report', '--service', 'a', '--env', 'DEV', '--version', '1'];
    const cmd = await parseCommand([...base, '--commits-file', lines]);
    expect(cmd.kind === 'report' && cmd.input.commits).toEqual([
      { sha: 'abc1234', committedAt: new Date('2026-11-30T09:00:00Z'), message: 'Fix the thing' },
      { sha: 'def5678', committedAt: new Date('2026-11-30T09:00:00Z'), message: 'Ship' },
    ]);
    const json = join(dir, `commits-${process.pid}.json`);
    await writeFile(json, JSON.stringify([{ sha: 'abc1234', committedAt: '2026-11-30T09:00:00Z' }]));
    const fromJson = await parseCommand([...base, '--commits-file', json]);
    expect(fromJson.kind === 'report' && fromJson.input.commits).toHaveLength(1);
    await writeFile(lines, 'not-a-sha yesterday\n');
    await expect(parseCommand([...base, '--commits-file', lines])).rejects.toThrow('commits.0');
  });

  it('SEXTANT_API_URL may be the API base or its /trpc', () => {
    expect(trpcUrl('https://sextant.example.com/')).toBe('https://sextant.example.com/trpc');
    expect(trpcUrl('https://sextant.example.com/trpc')).toBe('https://sextant.example.com/trpc');
  });
});
