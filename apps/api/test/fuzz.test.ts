import { createDatabase, type Database } from '@sextant/db';
import { appRouter } from '@sextant/trpc';
import { createFixtures, type Fixtures, PROCEDURES } from '@sextant/trpc/testing';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { type Candidate, invalidInputs } from './fuzz/invalid-inputs';
import { installWriteLog, writeMark, writtenSince } from './fuzz/write-log';
import { type SignedIn, startTestApi, TEST_ORIGIN, type TestApi } from './helpers';

/** Fixed, so a failure found once is found again on every run. */
const SEED = 20_261_130;
/** GET inputs travel in the URL; beyond Node's 16 KiB header limit the answer is Node's own bodiless 431. */
const MAX_URL = 12_000;
const IN_FLIGHT = 4;

interface Answer {
  status: number;
  appCode?: string;
  message?: string;
}

const procedures = Object.entries(
  (
    appRouter._def as unknown as {
      procedures: Record<string, { _def: { type: 'query' | 'mutation'; inputs: ZodType[] } }>;
    }
  ).procedures,
);

let api: TestApi;
let admin: SignedIn;
let adminKey: string;
let database: Database;
let fixtures: Fixtures;

beforeAll(async () => {
  api = await startTestApi({ API_RATE_LIMIT_PER_MIN: '0', API_MAX_EVENT_LOOP_DELAY_MS: '0' });
  admin = await api.asUser('admin');
  adminKey = (await api.withKey('admin')).key;
  database = createDatabase(api.databaseUrl, { max: 2 });
  fixtures = await createFixtures(database);
  await installWriteLog(database.sql);
});
afterAll(async () => {
  await database?.close();
  await api?.close();
});

/** One call over real HTTP, superjson, one procedure per request: an admin's key, or session where a key may not. */
async function send(path: string, type: 'query' | 'mutation', input: unknown): Promise<Answer | null> {
  const payload = input === undefined ? undefined : JSON.stringify(superjson.serialize(input));
  const headers: Record<string, string> = PROCEDURES[path]?.sessionOnly
    ? { cookie: admin.cookie, origin: TEST_ORIGIN }
    : { authorization: `Bearer ${adminKey}` };
  let res: Response;
  if (type === 'query') {
    const url = `${api.baseUrl}/trpc/${path}${payload === undefined ? '' : `?input=${encodeURIComponent(payload)}`}`;
    if (url.length > MAX_URL) return null;
    res = await fetch(url, { headers });
  } else {
    res = await fetch(`${api.baseUrl}/trpc/${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: payload ?? '',
    });
  }
  const text = await res.text();
  try {
    const data = JSON.parse(text)?.error?.json;
    return { status: res.status, appCode: data?.data?.appCode, message: data?.message };
  } catch {
    return { status: res.status, message: text.slice(0, 120) };
  }
}

function problem(answer: Answer, mustReject: boolean): string | null {
  if (answer.status >= 500) return `${answer.status} ${answer.message}`;
  if (answer.status >= 400 && !answer.appCode)
    return `${answer.status} without an appCode: ${answer.message}`;
  if (mustReject && answer.status < 400) return `accepted with ${answer.status}`;
  return null;
}

describe('fuzz: malformed input to every procedure of the router gets a 4xx with an appCode and writes nothing', () => {
  it('walks the whole router', () => {
    expect(procedures.length).toBeGreaterThan(40);
  });

  for (const [path, procedure] of procedures) {
    it(path, async () => {
      const { type, inputs } = procedure._def;
      const valid = await PROCEDURES[path]?.input?.(fixtures);
      const candidates = invalidInputs(inputs[0], valid, {
        bigString: type === 'query' ? 2_000 : 100_000,
        seed: SEED,
        samples: 4,
      });
      const failures: string[] = [];
      // A few calls in flight at once, as a busy console would make them; the write log covers the whole batch.
      const run = async (batch: Candidate[]) => {
        let sent = 0;
        const queue = [...batch];
        const worker = async () => {
          for (let c = queue.shift(); c; c = queue.shift()) {
            const answer = await send(path, type, c.input);
            if (!answer) continue;
            sent++;
            const wrong = problem(answer, c.mustReject);
            if (wrong) failures.push(`${c.label}: ${wrong}`);
          }
        };
        await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
        return sent;
      };
      // Refused inputs first, while the valid input's objects still exist; then the ones the schema lets through.
      const mark = await writeMark(database.sql);
      const refused = await run(candidates.filter((c) => c.mustReject));
      const written = await writtenSince(database.sql, mark);
      if (written.length) failures.push(`refused inputs wrote to ${written.join(', ')}`);
      await run(candidates.filter((c) => !c.mustReject));
      expect(failures).toEqual([]);
      if (inputs.length > 0) expect(refused).toBeGreaterThan(20);
    });
  }
});
