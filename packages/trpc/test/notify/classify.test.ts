import { describe, expect, it } from 'vitest';
import {
  classifyHttp,
  classifySmtp,
  classifyTransport,
  parseRetryAfter,
  RETRY_AFTER_MAX_MS,
} from '../../src/services/notify/classify';

const NOW = Date.parse('2026-11-30T12:00:00Z');

describe('classifyHttp (spec A8)', () => {
  it.each([
    [200, 'success'],
    [201, 'success'],
    [202, 'success'],
    [204, 'success'],
    [299, 'success'],
    [408, 'retryable'],
    [425, 'retryable'],
    [429, 'retryable'],
    [500, 'retryable'],
    [502, 'retryable'],
    [503, 'retryable'],
    [504, 'retryable'],
    [599, 'retryable'],
    [400, 'permanent'],
    [401, 'permanent'],
    [403, 'permanent'],
    [404, 'permanent'],
    [409, 'permanent'],
    [410, 'permanent'],
    [413, 'permanent'],
    [422, 'permanent'],
    [301, 'permanent'],
    [302, 'permanent'],
    [307, 'permanent'],
    [308, 'permanent'],
    [101, 'permanent'],
  ] as const)('%i → %s', (status, expected) => {
    const verdict = classifyHttp(status, { nowMs: NOW });
    expect(verdict.class).toBe(expected);
    expect(verdict.error === null).toBe(expected === 'success');
  });

  it('a redirect says why it is not followed', () => {
    expect(classifyHttp(301, { nowMs: NOW }).error).toBe(
      'answered 301 (a redirect): not followed, notifications go only to the configured URL',
    );
  });

  it('a 2xx without the service-defined success body is permanent', () => {
    expect(classifyHttp(200, { nowMs: NOW, bodyOk: false })).toMatchObject({ class: 'permanent' });
    expect(classifyHttp(200, { nowMs: NOW, bodyOk: true })).toMatchObject({ class: 'success' });
  });

  it('takes Retry-After on retryable answers only', () => {
    expect(classifyHttp(429, { nowMs: NOW, retryAfter: '20' }).retryAfterMs).toBe(20_000);
    expect(classifyHttp(503, { nowMs: NOW, retryAfter: '5' }).retryAfterMs).toBe(5_000);
    expect(classifyHttp(400, { nowMs: NOW, retryAfter: '20' }).retryAfterMs).toBeNull();
    expect(classifyHttp(429, { nowMs: NOW }).retryAfterMs).toBeNull();
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['20', 20_000],
    [' 20 ', 20_000],
    ['0', 0],
    ['1.5', 1_500],
    ['Mon, 30 Nov 2026 12:00:30 GMT', 30_000],
    ['Mon, 30 Nov 2026 11:59:00 GMT', 0], // in the past: now
    ['999999', RETRY_AFTER_MAX_MS], // bounded
    ['Wed, 30 Nov 2033 12:00:00 GMT', RETRY_AFTER_MAX_MS],
    ['', null],
    ['soon', null],
    ['-5', null],
    ['1e3', null],
  ] as const)('%j → %s', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it('absent is null, and the cap can be lowered', () => {
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseRetryAfter(undefined, NOW)).toBeNull();
    expect(parseRetryAfter('600', NOW, 60_000)).toBe(60_000);
  });
});

describe('classifyTransport', () => {
  it.each([
    ['denied', 'permanent'],
    ['config', 'permanent'],
    ['timeout', 'retryable'],
    ['dns', 'retryable'],
    ['refused', 'retryable'],
    ['tls', 'retryable'],
    ['network', 'retryable'],
  ] as const)('%s → %s', (kind, expected) => {
    expect(classifyTransport(kind)).toBe(expected);
  });
});

describe('classifySmtp', () => {
  it.each([
    [{ responseCode: 421 }, 'retryable'],
    [{ responseCode: 450 }, 'retryable'],
    [{ responseCode: 451, code: 'EENVELOPE' }, 'retryable'], // the reply code decides
    [{ responseCode: 452 }, 'retryable'],
    [{ responseCode: 454, code: 'EAUTH' }, 'retryable'],
    [{ responseCode: 500 }, 'permanent'],
    [{ responseCode: 535, code: 'EAUTH' }, 'permanent'],
    [{ responseCode: 550, code: 'EENVELOPE' }, 'permanent'],
    [{ responseCode: 552 }, 'permanent'],
    [{ responseCode: 554 }, 'permanent'],
    [{ code: 'EENVELOPE' }, 'permanent'], // no recipients / invalid address, no reply
    [{ code: 'EMESSAGE' }, 'permanent'],
    [{ code: 'EAUTH' }, 'permanent'],
    [{ code: 'EREQUIRETLS' }, 'permanent'],
    [{ code: 'ECONNECTION' }, 'retryable'],
    [{ code: 'ETIMEDOUT' }, 'retryable'],
    [{ code: 'ESOCKET' }, 'retryable'],
    [{ code: 'ETLS' }, 'retryable'],
    [{ code: 'EDNS' }, 'retryable'],
    [{}, 'retryable'],
  ] as const)('%j → %s', (err, expected) => {
    expect(classifySmtp(err)).toBe(expected);
  });
});
