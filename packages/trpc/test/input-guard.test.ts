import { getErrorShape, TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { findInputProblem, MAX_INPUT_DEPTH } from '../src/input-guard';
import { createCallerFactory, createTRPCRouter, publicProcedure } from '../src/trpc';

describe('findInputProblem', () => {
  it('finds text Postgres cannot store in values and keys, with its path', () => {
    expect(findInputProblem({ a: [{ b: 'ok' }, { c: 'x\u0000y' }] })).toMatchObject({ path: ['a', 1, 'c'] });
    expect(findInputProblem({ labels: { 'bad\u0000': 'v' } })).toMatchObject({
      path: ['labels', 'bad\u0000'],
    });
    expect(findInputProblem({ name: 'a\ud800' })?.message).toMatch(/surrogate/);
    expect(findInputProblem({ name: '\udfffa' })?.message).toMatch(/surrogate/);
    expect(findInputProblem('\u0000')).toMatchObject({ path: [] });
    expect(findInputProblem(new Map([['k', { v: '\u0000' }]]))).not.toBeNull();
  });

  it('passes ordinary input, including paired surrogates and every other control character', () => {
    const fine = { name: 'Grüße 😀 \u202e\ufeff\t\r\n\u0001', n: 1, d: new Date(), list: [null, true, 2.5] };
    expect(findInputProblem(fine)).toBeNull();
    expect(findInputProblem(undefined)).toBeNull();
  });

  it('refuses nesting deeper than any input needs, without recursing', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findInputProblem(deep)?.path).toHaveLength(MAX_INPUT_DEPTH);
    let ok: unknown = 'x';
    for (let i = 0; i < MAX_INPUT_DEPTH - 1; i++) ok = { a: ok };
    expect(findInputProblem(ok)).toBeNull();
  });
});

describe('the input guard in every procedure', () => {
  const router = createTRPCRouter({
    echo: publicProcedure.input(z.object({ name: z.string() })).query(({ input }) => input),
    bare: publicProcedure.query(() => 'ok'),
  });
  const caller = createCallerFactory(router)({} as never);

  it('answers BAD_REQUEST naming the path before the schema or the procedure runs', async () => {
    const err = await caller.echo({ name: 'a\u0000' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    const shape = getErrorShape({
      config: router._def._config,
      error: err as TRPCError,
      type: 'query',
      path: 'echo',
      input: undefined,
      ctx: undefined,
    });
    expect(shape.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400, appCode: 'VALIDATION_FAILED' });
    expect(shape.data.zodError?.issues).toEqual([{ path: 'name', message: expect.stringMatching(/NUL/) }]);
    // Procedures without an input schema are covered too.
    await expect(caller.bare('\ud800' as never)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await caller.echo({ name: 'fine' })).toEqual({ name: 'fine' });
  });
});
