import { checkInput } from '@sextant/trpc/schemas';
import { describe, expect, it } from 'vitest';
import { checkField, emptyCheck, toCheckInput } from '../src/app/(console)/services/[slug]/check-form';
import { formErrors, stateFormErrors, validate } from '../src/lib/field-errors';

/** A failed call as the typed client sees it: the API's issues with dotted paths. */
function serverError(issues: { path: string; message: string }[]) {
  return Object.assign(new Error('Invalid input.'), { data: { zodError: { issues } } });
}

describe('server errors on fields by issue path', () => {
  it('puts nested issues on their form fields and the rest in the form-level message', () => {
    const error = serverError([
      { path: 'check.config.url', message: 'Enter an http:// or https:// URL.' },
      { path: 'check.config.headers.X-Forwarded-For', message: 'set by proxies' },
      { path: 'check.config.jsonPath.equals', message: 'At most 500 characters.' },
      { path: 'check.timeoutMs', message: 'At most 60 s.' },
      { path: 'check', message: 'Something about the whole check.' },
    ]);
    expect(formErrors(error, checkField, { at: 'check' })).toEqual({
      errors: {
        url: 'Enter an http:// or https:// URL.',
        headers: 'set by proxies',
        jsonEquals: 'At most 500 characters.',
        timeoutMs: 'At most 60 s.',
      },
      message: 'Something about the whole check.',
    });
  });

  it('keeps an error without issues as the form-level message', () => {
    expect(formErrors(new Error('This endpoint is already scraped.'), checkField)).toEqual({
      errors: {},
      message: 'This endpoint is already scraped.',
    });
  });
});

describe('client-side checks with the API schema', () => {
  it('reports the schema’s messages next to their fields', () => {
    const values = {
      ...emptyCheck('not-a-uuid'),
      name: ' ',
      intervalSeconds: '5',
      timeoutMs: 'abc',
      url: 'ftp://x',
    };
    expect(toCheckInput(values)).toEqual({
      errors: {
        name: 'Give the check a name.',
        environmentId: 'Pick an environment.',
        intervalSeconds: 'At least 10 seconds.',
        timeoutMs: 'Enter a number.',
        url: 'Enter an http:// or https:// URL.',
      },
    });
  });

  it('lets the form’s own parse errors win and passes valid input through unchanged', () => {
    const id = '7b0c5a4e-1f6e-4f8e-9c55-3d7f1c2b9a10';
    const bad = toCheckInput({ ...emptyCheck(id), name: 'api', url: 'https://a.test', headers: 'no colon' });
    expect(bad).toEqual({ errors: { headers: 'Line 1: write "Name: value".' } });
    const input = { kind: 'tcp' as const, name: 'db', environmentId: id, config: { host: 'db', port: 5432 } };
    expect(validate(checkInput, input, checkField)).toEqual({ input });
  });
});

describe('forms holding their values in state', () => {
  it('puts the API issues below `at` on their fields after the form’s own, the rest in the message', () => {
    const error = serverError([
      { path: 'silence.matchers.1.value', message: 'Bad regex.' },
      { path: 'id', message: 'This silence has expired.' },
    ]);
    const { issues, fieldError, message } = stateFormErrors(
      error,
      [{ path: ['comment'], message: 'Required.' }],
      ['matchers', 'comment'],
      'silence',
    );
    expect(issues.map((i) => i.path.join('.'))).toEqual(['comment', 'matchers.1.value', 'id']);
    expect(fieldError('matchers')).toBe('Bad regex.');
    expect(fieldError('comment')).toBe('Required.');
    expect(message).toBe('This silence has expired.');
  });
});
