/**
 * Random identifiers for responses (`chatcmpl-…`) without a system call each: node's
 * randomBytes goes to the OS for every call (about 5 µs, more than the rest of the id),
 * while randomUUID already draws from a cached pool — as this does, refilled from the same
 * CSPRNG 4 KiB at a time.
 */
import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(4096);
let offset = pool.length;

/** `bytes` fresh random bytes as base64url. */
export function randomId(bytes: number): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString('base64url', offset, offset + bytes);
  offset += bytes;
  return id;
}
