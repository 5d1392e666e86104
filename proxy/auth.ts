/**
 * Bearer-key check. Keys are compared as SHA-256 digests with timingSafeEqual, against
 * every configured key without early exit, so neither key length nor the position of the
 * first differing byte leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { OpenAIHttpError } from './errors.js';

export type KeyChecker = (authorization: string | undefined) => void;

const digest = (s: string) => createHash('sha256').update(s).digest();

export function createKeyChecker(keys: readonly string[]): KeyChecker {
  const digests = keys.map(digest);
  return (authorization) => {
    const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
    if (!match) {
      throw new OpenAIHttpError(401, "You didn't provide an API key. Send it in the Authorization header as 'Bearer YOUR_KEY'.", {
        type: 'authentication_error',
        code: 'missing_api_key',
      });
    }
    const presented = digest(match[1]!);
    let ok = false;
    for (const d of digests) ok = timingSafeEqual(d, presented) || ok;
    if (!ok) {
      throw new OpenAIHttpError(401, 'Incorrect API key provided.', { type: 'authentication_error', code: 'invalid_api_key' });
    }
  };
}
