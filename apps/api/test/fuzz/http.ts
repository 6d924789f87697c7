// What the plain-HTTP fuzz files share: raw requests, and a group that must answer without a 5xx and write nothing
// (seen by the write log, which each file installs in its database first).
import { request } from 'node:http';
import type { Sql } from '@sextant/db';
import { expect } from 'vitest';
import { writeMark, writtenSince } from './write-log';

export interface Raw {
  label: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export const is4xx = (status: number) => status >= 400 && status < 500;

/** The server under test, read when a request is sent (fuzz files fill it in `beforeAll`). */
export interface FuzzTarget {
  baseUrl: string;
  sql: Sql;
}

export function httpFuzzer(target: () => FuzzTarget) {
  /** A raw HTTP/1.1 request (fetch would normalise paths and refuse odd methods); resolves with the status and body. */
  function send(r: Raw): Promise<{ status: number; body: string }> {
    const url = new URL(target().baseUrl);
    return new Promise((resolve) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: r.method,
          path: r.path,
          // Node frames a DELETE's or GET's body only when told its length.
          headers: {
            ...r.headers,
            ...(r.body !== undefined ? { 'content-length': String(Buffer.byteLength(r.body)) } : {}),
          },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            body += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', (err) => resolve({ status: 0, body: `no answer: ${err.message}` }));
      req.end(r.body);
    });
  }

  /** Sends a group; fails on any 5xx or lost answer, any answer `expectAnswer` refuses, and any write unless `writes`. */
  async function expectGroup(
    requests: Raw[],
    expectAnswer: (status: number, r: Raw, body: string) => boolean,
    writes = false,
  ) {
    const { sql } = target();
    const mark = await writeMark(sql);
    const wrong: string[] = [];
    for (const r of requests) {
      const { status, body } = await send(r);
      if (status === 0 || status >= 500 || !expectAnswer(status, r, body)) {
        wrong.push(`${r.label} (${r.method} ${r.path.slice(0, 80)}): ${status} ${body.slice(0, 160)}`);
      }
    }
    const written = await writtenSince(sql, mark);
    if (!writes && written.length) wrong.push(`wrote to ${written.join(', ')}`);
    expect(wrong).toEqual([]);
  }

  return { send, expectGroup };
}
