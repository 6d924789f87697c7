import { getErrorShape, TRPCError } from '@trpc/server';
import { type TRPC_ERROR_CODE_KEY, TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { APP_ERROR_CODES, DEFAULT_APP_CODE, trpcErrorBody } from '../src/error-codes';
import { AppError, appCodeOf, toTRPCError } from '../src/errors';
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

  it.each([
    // The database being unavailable.
    ...['ECONNREFUSED', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', '57P01'].map(
      (code) => [code, 'SERVICE_UNAVAILABLE', 'DB_UNAVAILABLE'] as const,
    ),
    // Data exceptions: bad input that reached Postgres.
    ...['22P02', '22003', '22008', '22007', '22021', '22P05'].map(
      (code) => [code, 'BAD_REQUEST', 'VALIDATION_FAILED'] as const,
    ),
  ])('maps %s to %s with appCode %s', (code, trpcCode, appCode) => {
    const mapped = toTRPCError(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: pgError(code) }));
    expect(mapped.code).toBe(trpcCode);
    expect(shapeOf(mapped).data.appCode).toBe(appCode);
  });

  it('maps a statement timeout to TIMEOUT and a unique violation to CONFLICT', () => {
    expect(toTRPCError(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: pgError('57014') })).code).toBe(
      'TIMEOUT',
    );
    expect(toTRPCError(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: pgError('23505') })).code).toBe(
      'CONFLICT',
    );
  });

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

  it('gives a service refusal about one field that field’s path, in its own words', () => {
    const refusal = new AppError('CONFLICT', 'This endpoint is already scraped.', ['target', 'url']);
    const shape = shapeOf(toTRPCError(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: refusal })));
    expect(shape.message).toBe('This endpoint is already scraped.');
    expect(shape.data.appCode).toBe('CONFLICT');
    expect(shape.data.zodError?.issues).toEqual([
      { path: 'target.url', message: 'This endpoint is already scraped.' },
    ]);
    expect(shape.data.zodError?.fieldErrors).toEqual({ target: ['This endpoint is already scraped.'] });
    const plain = new AppError('CONFLICT', 'Already revoked.');
    expect(
      shapeOf(toTRPCError(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: plain }))).data.zodError,
    ).toBe(null);
  });
});

describe('appCodeOf', () => {
  it('gives an error without an AppError cause the default chosen for its tRPC code, whatever the table order', () => {
    expect(appCodeOf(new TRPCError({ code: 'SERVICE_UNAVAILABLE' }))).toBe('DB_UNAVAILABLE');
    expect(appCodeOf(new TRPCError({ code: 'BAD_REQUEST' }))).toBe('VALIDATION_FAILED');
    expect(appCodeOf(new TRPCError({ code: 'FORBIDDEN' }))).toBe('FORBIDDEN');
    expect(appCodeOf(new TRPCError({ code: 'PARSE_ERROR' }))).toBe('VALIDATION_FAILED');
    expect(appCodeOf(new TRPCError({ code: 'TIMEOUT' }))).toBe('DB_TIMEOUT');
    const cause = new AppError('OVERLOADED', 'busy');
    expect(appCodeOf(new TRPCError({ code: 'SERVICE_UNAVAILABLE', cause }))).toBe('OVERLOADED');
  });

  it('has a default for every tRPC code, carrying that same tRPC code', () => {
    for (const code of Object.keys(TRPC_ERROR_CODES_BY_KEY) as TRPC_ERROR_CODE_KEY[]) {
      const appCode = DEFAULT_APP_CODE[code];
      expect(appCode, code).toBeDefined();
      // Defaults of codes no appCode has (PARSE_ERROR, 402, 428, 499, 501, 504) fall to a sibling status class.
      if (Object.values(APP_ERROR_CODES).includes(code as never))
        expect(APP_ERROR_CODES[appCode], code).toBe(code);
    }
  });
});

describe('trpcErrorBody', () => {
  it("takes the JSON-RPC code from tRPC's own table and the tRPC code from APP_ERROR_CODES", () => {
    expect(trpcErrorBody(413, 'too big').error.json).toEqual({
      message: 'too big',
      code: -32013,
      data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413, appCode: 'PAYLOAD_TOO_LARGE', zodError: null },
    });
    expect(trpcErrorBody(502, 'down').error.json.data).toMatchObject({
      code: 'BAD_GATEWAY',
      appCode: 'API_UNAVAILABLE',
    });
    expect(trpcErrorBody(503, 'busy').error.json.data.appCode).toBe('OVERLOADED');
    expect(trpcErrorBody(408, 'slow').error.json.data).toMatchObject({
      code: 'BAD_REQUEST',
      httpStatus: 408,
    });
    expect(trpcErrorBody(500, 'x').error.json.data.appCode).toBe('INTERNAL');
    for (const appCode of Object.keys(APP_ERROR_CODES) as (keyof typeof APP_ERROR_CODES)[]) {
      const { json } = trpcErrorBody(400, 'm', appCode).error;
      expect(json.code, appCode).toBe(TRPC_ERROR_CODES_BY_KEY[APP_ERROR_CODES[appCode]]);
    }
  });
});
