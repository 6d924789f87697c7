import { getErrorShape, TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, toTRPCError } from '../src/errors';
import { createTRPCRouter, publicProcedure } from '../src/trpc';

const router = createTRPCRouter({
  echo: publicProcedure
    .input(z.object({ name: z.string().min(2), port: z.number().int() }))
    .query(({ input }) => input),
});

function shapeOf(error: TRPCError) {
  return getErrorShape({
    config: router._def._config,
    error,
    type: 'query',
    path: 'echo',
    input: undefined,
    ctx: undefined,
  });
}

function pgError(code: string, message = 'boom') {
  return Object.assign(new Error(message), { code });
}

describe('toTRPCError', () => {
  it('maps an AppError to its tRPC code and keeps its message', () => {
    const mapped = toTRPCError(
      new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: new AppError('NOT_FOUND', 'No such service.') }),
    );
    expect(mapped.code).toBe('NOT_FOUND');
    expect(mapped.message).toBe('No such service.');
  });

  it.each(['ECONNREFUSED', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', '57P01'])(
    'treats %s as the database being unavailable',
    (code) => {
      const mapped = toTRPCError(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: pgError(code) }));
      expect(mapped.code).toBe('SERVICE_UNAVAILABLE');
      expect(shapeOf(mapped).data.appCode).toBe('DB_UNAVAILABLE');
    },
  );

  it('maps a statement timeout to TIMEOUT and a unique violation to CONFLICT', () => {
    expect(toTRPCError(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: pgError('57014') })).code).toBe(
      'TIMEOUT',
    );
    expect(toTRPCError(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: pgError('23505') })).code).toBe(
      'CONFLICT',
    );
  });

  it.each(['22P02', '22003', '22008', '22007', '22021', '22P05'])(
    'maps data exception %s (bad input that reached Postgres) to BAD_REQUEST',
    (code) => {
      const mapped = toTRPCError(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: pgError(code) }));
      expect(mapped.code).toBe('BAD_REQUEST');
      expect(shapeOf(mapped).data.appCode).toBe('VALIDATION_FAILED');
    },
  );

  it('leaves errors that already carry a specific code alone', () => {
    const original = new TRPCError({ code: 'FORBIDDEN', message: 'no' });
    expect(toTRPCError(original)).toBe(original);
  });
});

describe('error shape', () => {
  it('hides internal messages, SQL and stacks', () => {
    const shape = shapeOf(
      new TRPCError({
        code: 'INTERNAL_SERVER_ERROR',
        cause: pgError('42601', 'syntax error at or near "selec"'),
      }),
    );
    expect(shape.message).toBe('Internal server error.');
    expect(shape.data.appCode).toBe('INTERNAL');
    expect(JSON.stringify(shape)).not.toMatch(/selec|stack/);
  });

  it('carries zod field errors and a stable code for bad input', async () => {
    const caller = router.createCaller({} as never);
    const error = await caller.echo({ name: 'x', port: 1.5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    const shape = shapeOf(error as TRPCError);
    expect(shape.data.code).toBe('BAD_REQUEST');
    expect(shape.data.appCode).toBe('VALIDATION_FAILED');
    expect(shape.message).toBe('Invalid input.');
    expect(Object.keys(shape.data.zodError?.fieldErrors ?? {}).sort()).toEqual(['name', 'port']);
  });
});
