/**
 * The optional response store: what `previous_response_id`, `GET /v1/responses/{id}`,
 * `DELETE` and `input_items` need. In memory, bounded (entries and bytes, least recently
 * used first out) with a time to live, and per process: on Lambda every instance has its
 * own, so a follow-up request that lands on another instance does not find the response.
 * Off unless configured; the proxy is stateless by default.
 */
import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ResponseItem } from 'openai/resources/responses/responses';
import type { ConversationItem } from './resolve-input.js';
import type { WireResponse } from './to-response.js';

export interface StoredResponse {
  response: WireResponse;
  /** Everything before this request's own input (the previous responses' conversation). */
  context: ConversationItem[];
  /** This request's input items, resolved, each with an id. */
  input: Array<ConversationItem & { id: string }>;
}

export interface ResponseStoreOptions {
  maxEntries: number;
  maxBytes: number;
  ttlMs: number;
}

export interface ResponseStore {
  put(entry: StoredResponse): void;
  get(id: string): StoredResponse | undefined;
  delete(id: string): boolean;
  /** An item of a stored response (input or output), by item id. */
  item(id: string): ConversationItem | undefined;
  /** The conversation a follow-up of `id` continues: context, input, then output. */
  conversation(id: string): ConversationItem[] | undefined;
}

export function createResponseStore(opts: ResponseStoreOptions): ResponseStore {
  /** Item id → the response holding it; cleaned when the response leaves the cache. */
  const itemIndex = new Map<string, string>();
  const itemIds = (e: StoredResponse): string[] => [...e.input.map((i) => i.id), ...e.response.output.map((o) => o.id ?? '').filter(Boolean)];
  // Made on the first stored response: lru-cache allocates its slot arrays for `max` entries
  // up front (~0.4 MB at the default 10,000), which a proxy that never sees a Responses
  // request (most) should not pay at start-up, in time or memory.
  let lru: LRUCache<string, StoredResponse> | undefined;
  const cache = () =>
    (lru ??= new LRUCache<string, StoredResponse>({
      max: opts.maxEntries,
      maxSize: opts.maxBytes,
      ttl: opts.ttlMs,
      // A response too big for the whole store is simply not kept.
      sizeCalculation: (e) => Math.max(1, JSON.stringify(e).length),
      dispose: (e, key) => {
        for (const id of itemIds(e)) if (itemIndex.get(id) === key) itemIndex.delete(id);
      },
    }));

  return {
    put(entry) {
      const c = cache();
      c.set(entry.response.id, entry);
      if (!c.has(entry.response.id)) return;
      for (const id of itemIds(entry)) itemIndex.set(id, entry.response.id);
    },
    get: (id) => lru?.get(id),
    delete: (id) => lru?.delete(id) ?? false,
    item(id) {
      const owner = itemIndex.get(id);
      const e = owner === undefined ? undefined : lru?.get(owner);
      if (!e) return undefined;
      const input = e.input.find((i) => i.id === id);
      if (input) return input;
      const out = e.response.output.find((o) => o.id === id);
      return out ? outputAsInput(out) : undefined;
    },
    conversation(id) {
      const e = lru?.get(id);
      if (!e) return undefined;
      return [...e.context, ...e.input, ...e.response.output.map(outputAsInput).filter((i): i is ConversationItem => i !== undefined)];
    },
  };
}

/** An output item as the client would send it back. */
export function outputAsInput(o: WireResponse['output'][number]): ConversationItem | undefined {
  switch (o.type) {
    case 'message':
      return { type: 'message', role: 'assistant', content: o.content, id: o.id };
    case 'function_call':
      return { type: 'function_call', call_id: o.call_id, name: o.name, arguments: o.arguments, ...(o.id ? { id: o.id } : {}) };
    case 'reasoning':
      return { type: 'reasoning', id: o.id, summary: [] };
    default:
      return undefined;
  }
}

/** Ids for input items that came without one (OpenAI lists every input item with an id). */
export function withIds(items: ConversationItem[]): Array<ConversationItem & { id: string }> {
  return items.map((i) => (i.id ? (i as ConversationItem & { id: string }) : { ...i, id: `${i.type === 'function_call_output' ? 'fco' : i.type === 'function_call' ? 'fc' : i.type === 'reasoning' ? 'rs' : 'msg'}_${randomBytes(24).toString('hex')}` }));
}

/** A stored input item in the `input_items` list shape. */
export function listedItem(i: ConversationItem & { id: string }): ResponseItem {
  switch (i.type) {
    case 'message': {
      const content = typeof i.content === 'string' ? [{ type: i.role === 'assistant' ? 'output_text' : 'input_text', text: i.content, ...(i.role === 'assistant' ? { annotations: [] } : {}) }] : i.content;
      return { id: i.id, type: 'message', role: i.role, status: 'completed', content } as ResponseItem;
    }
    case 'function_call':
      return { id: i.id, type: 'function_call', call_id: i.call_id, name: i.name, arguments: i.arguments, status: 'completed' };
    case 'function_call_output':
      return { id: i.id, type: 'function_call_output', call_id: i.call_id, output: i.output as string, status: 'completed' };
    case 'reasoning':
      return { id: i.id, type: 'reasoning', summary: [] };
  }
}
