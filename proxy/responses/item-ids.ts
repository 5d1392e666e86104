/**
 * Output item ids that carry their item, so a stateless proxy can serve `item_reference`.
 *
 * Clients that rely on OpenAI storing responses (the AI SDK's default `store: true`) send
 * earlier output items back as `{type: "item_reference", id}` only. Without a response
 * store the proxy has nothing to look the id up in, so the id itself carries what is
 * needed to rebuild the item:
 *
 *   <prefix>_nvd<base64url(body ‖ HMAC-SHA256(key, prefix ‖ body)[0..16])>
 *
 * where body is 0x00 ‖ JSON for short items and 0x01 ‖ deflateRaw(JSON) otherwise (a
 * 4 KiB window: ids are small, and a default zlib stream costs more to set up than the
 * rest of the request).
 *
 * The tag is checked before anything is inflated, and inflation is capped, so a forged or
 * corrupted id costs one HMAC. The content is the client's own conversation (it could send
 * the same item inline), so it is signed, not encrypted: the signature stops ids from other
 * systems or other keys being read as ours, and tells a corrupted id from a valid one.
 *
 * An id must be announced before its content is known when a message or reasoning item is
 * streamed (`response.output_item.added` comes first, and the AI SDK keys its text parts
 * on that id). Those items get a *pending* id: `<prefix>_nvp<nonce><tag>` — signed, so the
 * proxy knows it issued it, but empty. When a streamed message is followed by a function
 * call (a tool loop), the stream puts a *carrier* between them: an empty reasoning item
 * whose id describes the pending messages before it ("carried" entries). Clients send
 * reasoning items back (by reference or inline) and the proxy never sends reasoning to
 * Nova, so the carrier costs nothing downstream, and [item_reference(msg pending),
 * item_reference(rs carrier), function_call…] resolves without state. A function call's
 * own id is final in `response.output_item.done`, where it describes the call.
 * Reasoning items otherwise get pending ids: a reference to one only has to be recognised.
 * Ids are bounded (`MAX_PAYLOAD_BYTES` compressed); an item that does not fit gets a
 * pending id and resolves only through a response store.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** What an id can describe: the parts of an output item the conversation needs again. */
export type DescribedItem =
  | { type: 'message'; text: string }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  /** An empty reasoning item: a carrier. */
  | { type: 'reasoning' };

export type ItemPrefix = 'msg' | 'fc' | 'rs';

export interface DecodedId {
  /** The item the id names (undefined for a pending id). */
  item?: DescribedItem;
  /** Items with pending ids from the same response that this id also describes. */
  carried: Array<{ id: string; item: DescribedItem }>;
  prefix: ItemPrefix;
}

export type DecodeResult =
  | { kind: 'described'; decoded: DecodedId }
  | { kind: 'pending'; prefix: ItemPrefix }
  /** Our format, but the tag does not verify: another key (restart, other instance) or a damaged id. */
  | { kind: 'bad-signature'; prefix: ItemPrefix }
  /** Not an id this proxy issues (e.g. a real OpenAI id). */
  | { kind: 'foreign' };

/** Compressed payload bound: ids stay below ~11 KB of text. */
export const MAX_PAYLOAD_BYTES = 8 * 1024;
/** Inflation cap: a payload this small cannot legitimately expand further. */
const MAX_INFLATED_BYTES = 1024 * 1024;
const TAG_BYTES = 16;
/** Below this much JSON, deflate saves nothing worth its cost. */
const COMPRESS_FROM = 160;
const ZLIB = { windowBits: 12, memLevel: 5 } as const;
const RAW = 0;
const DEFLATED = 1;
const NONCE_BYTES = 12;
const DESCRIBED = 'nvd';
const PENDING = 'nvp';
const PREFIXES: ReadonlySet<string> = new Set<ItemPrefix>(['msg', 'fc', 'rs']);

/** Short wire form of a described item (ids travel in every later request). */
type Wire = { m: string } | { f: [string, string, string] } | { r: 1 };
interface Payload {
  /** The item itself. */
  s: Wire;
  /** Carried pending items: [pending id, item]. */
  c?: Array<[string, Wire]>;
}

export interface ItemIdCodec {
  /** A pending id: ours, verifiable, but carrying nothing. */
  pending(prefix: ItemPrefix): string;
  /**
   * An id describing `item` and, as far as the size bound allows, the `carried` pending
   * items (oldest dropped first). Returns a pending id when `item` alone does not fit;
   * `fits` tells how many carried items made it.
   */
  describe(prefix: ItemPrefix, item: DescribedItem, carried?: ReadonlyArray<{ id: string; item: DescribedItem }>): string;
  /** Like `describe`, also returning how many of the carried items the id holds. */
  describeCarrier(item: DescribedItem, carried: ReadonlyArray<{ id: string; item: DescribedItem }>): { id: string; carried: number };
  decode(id: string): DecodeResult;
}

export function prefixFor(item: DescribedItem): ItemPrefix {
  return item.type === 'message' ? 'msg' : item.type === 'function_call' ? 'fc' : 'rs';
}

export function createItemIdCodec(key: string | Uint8Array): ItemIdCodec {
  const secret = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
  const tag = (prefix: string, kind: string, body: Uint8Array): Buffer =>
    createHmac('sha256', secret).update(`${prefix}_${kind}`).update(body).digest().subarray(0, TAG_BYTES);

  function pending(prefix: ItemPrefix): string {
    const nonce = randomBytes(NONCE_BYTES);
    return `${prefix}_${PENDING}${Buffer.concat([nonce, tag(prefix, PENDING, nonce)]).toString('base64url')}`;
  }

  function encode(prefix: ItemPrefix, payload: Payload): string | undefined {
    const json = Buffer.from(JSON.stringify(payload), 'utf8');
    const body = json.length < COMPRESS_FROM ? Buffer.concat([Buffer.of(RAW), json]) : Buffer.concat([Buffer.of(DEFLATED), deflateRawSync(json, ZLIB)]);
    if (body.length > MAX_PAYLOAD_BYTES) return undefined;
    return `${prefix}_${DESCRIBED}${Buffer.concat([body, tag(prefix, DESCRIBED, body)]).toString('base64url')}`;
  }

  function describeCarrier(item: DescribedItem, carried: ReadonlyArray<{ id: string; item: DescribedItem }>, prefix = prefixFor(item)): { id: string; carried: number } {
    const s = toWire(item);
    let c = carried.map((e): [string, Wire] => [e.id, toWire(e.item)]);
    for (;;) {
      const id = encode(prefix, c.length ? { s, c } : { s });
      if (id) return { id, carried: c.length };
      if (c.length === 0) return { id: pending(prefix), carried: 0 };
      c = c.slice(1);
    }
  }

  function describe(prefix: ItemPrefix, item: DescribedItem, carried: ReadonlyArray<{ id: string; item: DescribedItem }> = []): string {
    return describeCarrier(item, carried, prefix).id;
  }

  function decode(id: string): DecodeResult {
    const sep = id.indexOf('_');
    const prefix = id.slice(0, sep);
    if (sep < 0 || !PREFIXES.has(prefix)) return { kind: 'foreign' };
    const kind = id.slice(sep + 1, sep + 4);
    if (kind !== DESCRIBED && kind !== PENDING) return { kind: 'foreign' };
    const p = prefix as ItemPrefix;
    const raw = Buffer.from(id.slice(sep + 4), 'base64url');
    if (raw.length <= TAG_BYTES) return { kind: 'bad-signature', prefix: p };
    const body = raw.subarray(0, raw.length - TAG_BYTES);
    const given = raw.subarray(raw.length - TAG_BYTES);
    if (!timingSafeEqual(given, tag(p, kind, body))) return { kind: 'bad-signature', prefix: p };
    if (kind === PENDING) return { kind: 'pending', prefix: p };
    let payload: Payload;
    try {
      const data = body.subarray(1);
      const json = body[0] === RAW ? data : body[0] === DEFLATED ? inflateRawSync(data, { ...ZLIB, maxOutputLength: MAX_INFLATED_BYTES }) : undefined;
      if (!json) return { kind: 'bad-signature', prefix: p };
      payload = JSON.parse(json.toString('utf8')) as Payload;
    } catch {
      // Verified bytes that do not parse: a bug of ours, not the client's; treat as unreadable.
      return { kind: 'bad-signature', prefix: p };
    }
    const item = fromWire(payload.s);
    if (!item) return { kind: 'bad-signature', prefix: p };
    const carriedItems: DecodedId['carried'] = [];
    for (const [cid, w] of payload.c ?? []) {
      const ci = fromWire(w);
      if (ci && typeof cid === 'string') carriedItems.push({ id: cid, item: ci });
    }
    return { kind: 'described', decoded: { item, carried: carriedItems, prefix: p } };
  }

  return { pending, describe, describeCarrier: (item, carried) => describeCarrier(item, carried), decode };
}

function toWire(item: DescribedItem): Wire {
  switch (item.type) {
    case 'message':
      return { m: item.text };
    case 'function_call':
      return { f: [item.call_id, item.name, item.arguments] };
    case 'reasoning':
      return { r: 1 };
  }
}

function fromWire(w: unknown): DescribedItem | undefined {
  if (!w || typeof w !== 'object') return undefined;
  const o = w as Record<string, unknown>;
  if (typeof o.m === 'string') return { type: 'message', text: o.m };
  if (o.r === 1) return { type: 'reasoning' };
  if (Array.isArray(o.f) && o.f.length === 3 && o.f.every((x) => typeof x === 'string')) {
    const [call_id, name, args] = o.f as [string, string, string];
    return { type: 'function_call', call_id, name, arguments: args };
  }
  return undefined;
}
