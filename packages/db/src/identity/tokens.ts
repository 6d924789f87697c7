import { createHash, randomBytes } from 'node:crypto';

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** 32 random bytes, base64url: session ids and API key bodies. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Characters of a heartbeat ping token kept in clear, so people can tell URLs apart (the migration uses 6 too). */
export const PING_TOKEN_PREFIX_LENGTH = 6;

/** A heartbeat's ping secret (18 random bytes, base64url): shown once; only its SHA-256 and prefix are stored. */
export function generatePingToken(): { token: string; tokenHash: string; tokenPrefix: string } {
  const token = randomToken(18);
  return { token, tokenHash: sha256(token), tokenPrefix: token.slice(0, PING_TOKEN_PREFIX_LENGTH) };
}
