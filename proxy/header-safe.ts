/**
 * Response headers that carry client-chosen text (`x-nova-ignored-params` lists unknown
 * parameter names) must stay sendable and small: a header Node refuses turns a good answer
 * into an error, and one past the usual 16 KB client limit makes the 200 unreadable.
 */

/** Longest header value the proxy builds from client input. */
export const MAX_ECHO_HEADER_BYTES = 1024;
/** Longest single item (one parameter name) in such a header. */
export const MAX_ECHO_ITEM_CHARS = 64;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** One client-chosen name as a header-safe token: percent-encoded UTF-8, never throws, capped. */
export function headerToken(text: string, maxChars = MAX_ECHO_ITEM_CHARS): string {
  // Cut before encoding (the input may be megabytes); a pair split by the cut becomes U+FFFD.
  const wellFormed = text.slice(0, maxChars).replace(LONE_SURROGATE, '\uFFFD');
  const whole = encodeURIComponent(wellFormed);
  if (whole.length <= maxChars) return whole;
  // Whole characters only: never half a %-escape or half a UTF-8 sequence.
  let out = '';
  for (const ch of wellFormed) {
    const enc = encodeURIComponent(ch);
    if (out.length + enc.length > maxChars) break;
    out += enc;
  }
  return out;
}

/** Visible ASCII without the list separator: already a token (an encoded one stays as it is). */
const TOKEN = /^[\x21-\x2b\x2d-\x7e]*$/;

/**
 * A comma-separated list for a header, at most `maxBytes` long: items that are not tokens
 * yet are encoded, items that do not fit are summarised as `...+N` so the client still
 * learns that there were more.
 */
export function headerList(items: readonly string[], maxBytes = MAX_ECHO_HEADER_BYTES): string {
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const raw = items[i]!;
    const item = raw.length <= MAX_ECHO_ITEM_CHARS && TOKEN.test(raw) ? raw : headerToken(raw);
    const next = out ? `${out},${item}` : item;
    const more = items.length - i - 1;
    // Room for the summary of what follows, should the next item not fit.
    if (next.length + (more > 0 ? 12 : 0) > maxBytes) return `${out}${out ? ',' : ''}...+${items.length - i}`;
    out = next;
  }
  return out;
}
