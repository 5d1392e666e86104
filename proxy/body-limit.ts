/**
 * Over-limit request bodies. Fastify refuses them before reading them and closes the
 * connection; a client still uploading then gets EPIPE or ECONNRESET instead of the 413 and
 * its SDK retries the whole upload as a connection error. So the proxy reads (and discards)
 * the rest of the body first, up to a bound, and answers 413 (http-errors.ts
 * requestTooLarge) on a connection that stays usable. A body that goes beyond the bound,
 * or takes too long, gets the 413 and the close.
 */
import type { IncomingMessage } from 'node:http';

/** Bytes past the limit read and thrown away so that the client sees the 413. */
export const OVERSIZE_DRAIN_BYTES = 64 * 1024 * 1024;
/** How long the proxy keeps reading an over-limit body. */
export const OVERSIZE_DRAIN_MS = 10_000;

/**
 * Reads and discards what is left of `req`. Resolves true when the body ended within the
 * bounds (the connection can be kept), false when it was given up on (close it).
 */
export function drainRequest(req: IncomingMessage, limitBytes: number, bounds = { bytes: OVERSIZE_DRAIN_BYTES, ms: OVERSIZE_DRAIN_MS }): Promise<boolean> {
  if (req.complete || req.readableEnded) return Promise.resolve(true);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes + bounds.bytes) return Promise.resolve(false);
  return new Promise((resolve) => {
    let read = 0;
    const done = (ended: boolean) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      resolve(ended);
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read > bounds.bytes) {
        req.pause();
        done(false);
      }
    };
    const onEnd = () => done(true);
    const onError = () => done(false);
    const onClose = () => done(req.complete);
    const timer = setTimeout(() => done(false), bounds.ms);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('close', onClose);
    req.resume();
  });
}
