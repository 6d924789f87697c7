/**
 * Integration secrets at rest: AES-256-GCM with one process-wide key, in a versioned text format
 * `v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url parts) so keys can rotate later (a box may then hold the old
 * key by its id). The ciphertext is bound to its row (additional data), so it cannot be moved to another one.
 *
 * The key is process-wide, not per request, and delivery runs outside requests: the API server installs it at
 * start-up (`useSecretKey`, beside AUTH_SECRET); a process that did not (a worker, a bench, a test) resolves it
 * the same way on first use, from SEXTANT_SECRET_KEY or `.sextant/secret-key`.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { resolveSecretKey } from '@sextant/db';
import { AppError } from '../../errors';

const VERSION = 'v1';
const IV_BYTES = 12;

export interface SecretBox {
  /** Short, non-secret fingerprint of the key, stored with each ciphertext. */
  readonly keyId: string;
  seal(plain: string, boundTo: string): string;
  /** Throws SECRET_UNREADABLE (never the plaintext or key) when the key, row or bytes do not match. */
  open(sealed: string, boundTo: string): string;
  /** base64url HMAC-SHA256 of `data` under a key derived from the box's key (links that need no stored secret). */
  mac(data: string): string;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('The secret key must be 32 bytes.');
  const keyId = createHash('sha256').update('sextant-secret-key').update(key).digest('base64url').slice(0, 8);
  // Its own key, so a MAC can never be confused with anything the cipher key produces.
  const macKey = createHmac('sha256', key).update('sextant-link-mac').digest();
  const unreadable = (why: string) => new AppError('SECRET_UNREADABLE', `Stored integration secrets ${why}.`);
  return {
    keyId,
    mac: (data) => createHmac('sha256', macKey).update(data).digest('base64url'),
    seal(plain, boundTo) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(boundTo));
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, keyId, iv, cipher.getAuthTag(), ct]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join(':');
    },
    open(sealed, boundTo) {
      const [version, id, iv, tag, ct, ...rest] = sealed.split(':');
      if (version !== VERSION || ct === undefined || rest.length > 0)
        throw unreadable('are in an unknown format');
      if (id !== keyId)
        throw unreadable(
          `were encrypted with key ${id}, but this instance has key ${keyId}: every instance needs the same SEXTANT_SECRET_KEY`,
        );
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv!, 'base64url'));
        decipher.setAAD(Buffer.from(boundTo));
        decipher.setAuthTag(Buffer.from(tag!, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw unreadable('failed authentication (damaged, or copied from another row)');
      }
    },
  };
}

let installed: SecretBox | null = null;

/** Installs the process's key (the API server at start-up, tests with their own). */
export function useSecretKey(key: Buffer): SecretBox {
  installed = createSecretBox(key);
  return installed;
}

/** The installed box, or one with the key resolved as the server would (env, then `.sextant/secret-key`). */
export function secretBox(): SecretBox {
  installed ??= createSecretBox(resolveSecretKey(process.env.SEXTANT_SECRET_KEY));
  return installed;
}
