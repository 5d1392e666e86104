// Deterministic identifiers and pseudo-randomness (FNV-1a), so the same
// request yields the same ids, fingerprints and vectors on every run.

export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `len` base62 characters derived from `text`. */
export function token(text: string, len: number): string {
  let out = '';
  let h = fnv1a(text);
  for (let i = 0; out.length < len; i++) {
    h = fnv1a(`${i}:${text}`, h);
    let x = h;
    for (let j = 0; j < 5 && out.length < len; j++) {
      out += ALPHABET[x % 62];
      x = Math.floor(x / 62);
    }
  }
  return out;
}

export const completionId = (key: string): string => `chatcmpl-${token(key, 29)}`;
export const toolCallId = (key: string): string => `call_${token(key, 24)}`;
/** Stable per model, like a backend configuration fingerprint. */
export const fingerprint = (model: string): string =>
  `fp_${fnv1a(model).toString(16).padStart(8, '0')}${fnv1a(`fp${model}`).toString(16).padStart(8, '0')}`.slice(0, 13);
