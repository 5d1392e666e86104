/**
 * Bearer-key check. Keys are compared as SHA-256 digests with timingSafeEqual, against
 * every configured key without early exit, so neither key length nor the position of the
 * first differing byte leaks through timing — nor whether a key is a client or an admin key.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { OpenAIHttpError } from './errors.js';

/**
 * Who presented the key: a client key (its index, for per-key accounting) or an admin key
 * (operator endpoints only).
 */
export type KeyMatch = { kind: 'client'; index: number } | { kind: 'admin'; index: number };

/** Returns the matching key; throws 401 otherwise. */
export type KeyChecker = (authorization: string | undefined) => KeyMatch;

const digest = (s: string) => createHash('sha256').update(s).digest();

export function createKeyChecker(keys: readonly string[], adminKeys: readonly string[] = []): KeyChecker {
  const digests = [...keys, ...adminKeys].map(digest);
  return (authorization) => {
    const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
    if (!match) {
      throw new OpenAIHttpError(401, "You didn't provide an API key. Send it in the Authorization header as 'Bearer YOUR_KEY'.", {
        type: 'authentication_error',
        code: 'missing_api_key',
      });
    }
    const presented = digest(match[1]!);
    let found = -1;
    digests.forEach((d, i) => {
      if (timingSafeEqual(d, presented)) found = i;
    });
    if (found < 0) throw invalidKey();
    return found < keys.length ? { kind: 'client', index: found } : { kind: 'admin', index: found - keys.length };
  };
}

export function invalidKey(): OpenAIHttpError {
  return new OpenAIHttpError(401, 'Incorrect API key provided.', { type: 'authentication_error', code: 'invalid_api_key' });
}
