/**
 * Stop sequences: Nova leaves the matched stop sequence at the end of its text, OpenAI
 * does not. These helpers remove it, in one piece (non-streaming) or while streaming.
 */
import type { Mutable } from './types.js';

/**
 * The stop sequence `text` ends with, or undefined. When several match (stops `END` and
 * `D`), the longest wins: which one Nova matched is unknowable, and all of them end at
 * the same character.
 */
export function matchedStopSequence(text: string, stops: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const s of stops) {
    if (s !== '' && text.endsWith(s) && (best === undefined || s.length > best.length)) best = s;
  }
  return best;
}

/** `text` without the stop sequence it ends with (only one, only at the very end). */
export function stripStopSequence(text: string, stops: readonly string[]): string {
  const s = matchedStopSequence(text, stops);
  return s === undefined ? text : text.slice(0, text.length - s.length);
}

/**
 * Length of the longest suffix of `text` that is a prefix of some stop sequence (a whole
 * stop sequence included). That much must be held back while streaming: it could still
 * turn out to be the stop sequence. Holding the longest such suffix is the minimum that is
 * correct: with stop `ABAB` and text `…ABA`, holding only `A` would already have sent the
 * `AB` that has to be removed if `B` follows.
 */
export function holdBackLength(text: string, stops: readonly string[]): number {
  if (text === '') return 0;
  const last = text.charCodeAt(text.length - 1);
  let hold = 0;
  for (const s of stops) {
    for (let k = Math.min(s.length, text.length); k > hold; k--) {
      // Cheap pre-check: Converse accepts thousands of stop sequences.
      if (s.charCodeAt(k - 1) === last && text.endsWith(s.slice(0, k))) {
        hold = k;
        break;
      }
    }
  }
  return hold;
}

export interface StopSequenceBuffer {
  /** Adds streamed text; returns what can be sent now (possibly ''). */
  push(text: string): string;
  /** Releases everything held (the text turned out not to be at the end). */
  flush(): string;
  /** End of the message: the held text minus the stop sequence it ends with when `stopped`. */
  finish(stopped: boolean): string;
  /** Characters currently held back. */
  readonly held: number;
}

/**
 * Streaming stop-sequence stripper. Only the tail that could still become a stop
 * sequence is held; with no stop sequences nothing is ever held. Everything already
 * released is provably not part of a stop sequence at the end, so only the held tail
 * plus the new text needs to be looked at.
 */
export function createStopSequenceBuffer(stops: readonly string[]): StopSequenceBuffer {
  const active = stops.filter((s) => s !== '');
  let tail = '';
  // `held` is a data field kept up to date, not a getter: V8 keeps an object literal that
  // declares a getter in dictionary mode (slower lookups, ~450 bytes per stream).
  const buffer: Mutable<StopSequenceBuffer> = {
    held: 0,
    push(text: string): string {
      if (active.length === 0) return text;
      const all = tail + text;
      const keep = holdBackLength(all, active);
      tail = all.slice(all.length - keep);
      buffer.held = keep;
      return all.slice(0, all.length - keep);
    },
    flush() {
      const out = tail;
      tail = '';
      buffer.held = 0;
      return out;
    },
    finish(stopped: boolean): string {
      const out = stopped ? stripStopSequence(tail, active) : tail;
      tail = '';
      buffer.held = 0;
      return out;
    },
  };
  return buffer;
}
