/**
 * A deterministic synthetic "model" shared by the fake Bedrock and the fake OpenAI. Both
 * flavors make the same decisions (which tool, which label, which JSON) from the same
 * request, but word free text slightly differently, so a parity report shows high but not
 * perfect similarity. Nova keeps a matched stop sequence at the end of the text; GPT drops it.
 */

export type JsonSchema = Record<string, unknown>;

export interface SyntheticRequest {
  /** All system text joined by "\n". */
  system: string;
  /** Text of the last user message. */
  lastUserText: string;
  hasImage: boolean;
  tools: { name: string; schema: JsonSchema }[];
  toolChoice: 'auto' | 'any' | 'none' | { name: string };
  /** Structured output requested (json_schema). */
  jsonSchema?: JsonSchema;
  /** json_object requested. */
  jsonObject?: boolean;
  lastMessageIsToolResult: boolean;
  /** Text of the last tool result, if any. */
  toolResultText?: string;
  maxTokens?: number;
  stop?: string[];
}

export type SyntheticAnswer =
  | { kind: 'text'; text: string; stopReason: 'end_turn' | 'max_tokens' | 'stop_sequence'; matchedStop?: string }
  | { kind: 'tool_calls'; calls: { name: string; input: Record<string, unknown> }[] };

type Flavor = 'gpt' | 'nova';

/** ≈ one token per four characters, at least 1. */
export function countTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

// ---------------------------------------------------------------------------- words

const STOPWORDS = new Set(
  ('a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'me my of on or our please should so than that the their them then there these they this to was we were what ' +
    'when where which who why will with would you your about just also any all some more most very tell give ' +
    'using use want need like know get let make one only other out up down over under again each few such own same ' +
    'too not no nor here those am being having doing while before after above below between through during both ' +
    'answer reply respond return write say text following word words sentence explain describe show list works ' +
    'provide briefly detail details something thing things').split(' '),
);
/** Words too generic to count as a mention of a tool. */
const GENERIC_TOOL_WORDS = new Set(['get', 'set', 'fetch', 'run', 'call', 'tool', 'api', 'func', 'function', 'do', 'by', 'for', 'the', 'to', 'of', 'and']);

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function stem(w: string): string {
  return w.length > 4 && w.endsWith('ies') ? `${w.slice(0, -3)}y` : w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w;
}

function contentWords(text: string): string[] {
  return words(text).filter((w) => w.length > 2 && !STOPWORDS.has(w));
}

/** Content words by frequency, ties by first occurrence. */
function keywords(text: string, limit: number): string[] {
  const counts = new Map<string, { n: number; first: number }>();
  contentWords(text).forEach((w, i) => {
    const c = counts.get(w);
    if (c) c.n++;
    else counts.set(w, { n: 1, first: i });
  });
  return [...counts.entries()]
    .sort((a, b) => b[1].n - a[1].n || a[1].first - b[1].first)
    .slice(0, limit)
    .map(([w]) => w);
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function listPhrase(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

// ---------------------------------------------------------------------------- schema examples

/** Fills string/number/enum fields from the user's words when generating tool arguments. */
interface Filler {
  text: string;
  candidates: string[];
  numbers: number[];
  queryText: string;
  textWords: Set<string>;
}

/** Words about the output format, never values. */
const FORMAT_WORDS = new Set(['json', 'xml', 'yaml', 'csv', 'markdown']);

/** "double", “curly” and 'single' quoted strings (an apostrophe inside a word is not a quote). */
function quotedStrings(text: string): string[] {
  const re = /"([^"\n]{1,60})"|“([^”\n]{1,60})”|`([^`\n]{1,60})`|(?<![\p{L}\p{N}])'([^'\n]{1,60})'(?![\p{L}\p{N}])/gu;
  return [...text.matchAll(re)].map((m) => (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').trim()).filter(Boolean);
}

function makeFiller(text: string, excluded: Set<string>): Filler {
  const quoted = quotedStrings(text);
  // Capitalised word runs not at the start of a sentence: names of places, people, products.
  const proper = [...text.matchAll(/(?<=[^.!?\s]\s)([A-Z][\p{L}]+(?:\s[A-Z][\p{L}]+)*)/gu)].map((m) => m[1]!);
  const plain = contentWords(text).filter((w) => !excluded.has(w) && !excluded.has(stem(w)));
  const seen = new Set<string>();
  const candidates = [...quoted, ...proper, ...plain].filter((c) => {
    const key = c.toLowerCase();
    if (seen.has(key) || excluded.has(key) || FORMAT_WORDS.has(key)) return false;
    seen.add(key);
    return true;
  });
  const numbers = (text.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
  return {
    text,
    candidates,
    numbers,
    queryText: plain.slice(0, 8).join(' '),
    textWords: new Set(words(text).map(stem)),
  };
}

const FORMAT_EXAMPLES: Record<string, string> = {
  'date-time': '2024-01-15T10:30:00Z',
  date: '2024-01-15',
  time: '10:30:00',
  email: 'user@example.com',
  uri: 'https://example.com',
  url: 'https://example.com',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  uuid: '123e4567-e89b-42d3-a456-426614174000',
  duration: 'P1D',
};
const PATTERN_CANDIDATES = ['example', 'abc', 'ABC', 'a1', 'A1', '123', '1', 'a', 'A', 'abc-123', 'ABC-123', 'example_1', '2024-01-15', 'user@example.com', 'https://example.com', '+15555550100', '#ffffff', 'AB12'];

interface GenContext {
  root: JsonSchema;
  filler?: Filler;
  seenRefs: Set<string>;
}

function resolveRef(ref: string, ctx: GenContext): JsonSchema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = ctx.root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  }
  return typeof node === 'object' && node !== null ? (node as JsonSchema) : undefined;
}

function fitLength(s: string, schema: JsonSchema): string {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  let out = s;
  while (out.length < min) out += 'x';
  return out.length > max ? out.slice(0, max) : out;
}

function patternOk(pattern: unknown, s: string): boolean {
  if (typeof pattern !== 'string') return true;
  try {
    return new RegExp(pattern, 'u').test(s);
  } catch {
    return true;
  }
}

function genString(schema: JsonSchema, ctx: GenContext, propName: string | undefined): string {
  if (typeof schema.format === 'string' && FORMAT_EXAMPLES[schema.format]) return FORMAT_EXAMPLES[schema.format]!;
  const filler = ctx.filler;
  if (filler && schema.pattern === undefined) {
    let value: string | undefined;
    if (propName && /query|question|text|prompt|message|content|search|keywords?|topic|^q$/i.test(propName)) {
      value = filler.queryText || filler.candidates[0];
    } else {
      value = filler.candidates.shift();
    }
    if (value) return fitLength(value, schema);
  }
  if (schema.pattern !== undefined) {
    const hit = PATTERN_CANDIDATES.map((c) => fitLength(c, schema)).find((c) => patternOk(schema.pattern, c));
    if (hit !== undefined) return hit;
  }
  return fitLength('example', schema);
}

function genNumber(schema: JsonSchema, integer: boolean, ctx: GenContext): number {
  const excl = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
  let min = typeof schema.minimum === 'number' ? schema.minimum : -Infinity;
  let max = typeof schema.maximum === 'number' ? schema.maximum : Infinity;
  const step = integer ? 1 : 0.5;
  const exMin = excl(schema.exclusiveMinimum) ?? (schema.exclusiveMinimum === true ? min : undefined);
  const exMax = excl(schema.exclusiveMaximum) ?? (schema.exclusiveMaximum === true ? max : undefined);
  if (exMin !== undefined) min = Math.max(min, exMin + step);
  if (exMax !== undefined) max = Math.min(max, exMax - step);
  let value = ctx.filler?.numbers.shift() ?? (integer ? 1 : 1.5);
  if (integer) value = Math.round(value);
  value = Math.min(Math.max(value, min), max);
  const multipleOf = typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : undefined;
  if (multipleOf) {
    value = Math.ceil(value / multipleOf) * multipleOf;
    if (value > max) value -= multipleOf;
  }
  return Number.isFinite(value) ? value : 0;
}

function mergeAllOf(schema: JsonSchema, ctx: GenContext): JsonSchema {
  const parts = (schema.allOf as unknown[]).map((p) => deref(p as JsonSchema, ctx));
  const merged: JsonSchema = { ...schema };
  delete merged.allOf;
  const properties: Record<string, unknown> = { ...(schema.properties as object | undefined) };
  const required = new Set<string>((schema.required as string[] | undefined) ?? []);
  for (const p of parts) {
    Object.assign(merged, p);
    Object.assign(properties, p.properties as object | undefined);
    for (const r of (p.required as string[] | undefined) ?? []) required.add(r);
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

function deref(schema: JsonSchema, ctx: GenContext): JsonSchema {
  if (typeof schema.$ref === 'string' && !ctx.seenRefs.has(schema.$ref)) {
    const target = resolveRef(schema.$ref, ctx);
    if (target) {
      const { $ref: _ignored, ...rest } = schema;
      return { ...target, ...rest };
    }
  }
  return schema;
}

function pickEnum(values: unknown[], ctx: GenContext): unknown {
  const filler = ctx.filler;
  if (filler) {
    const mentioned = values.find((v) => typeof v === 'string' && words(v).length > 0 && words(v).every((w) => filler.textWords.has(stem(w))));
    if (mentioned !== undefined) return mentioned;
  }
  return values[0];
}

/** Returned for a recursive `$ref`: optional members and list items carrying it are left out. */
const RECURSION = Symbol('recursion');

function gen(input: unknown, ctx: GenContext, depth: number, propName?: string): unknown {
  if (input === true || input === undefined) return ctx.filler ? genString({}, ctx, propName) : 'example';
  if (typeof input !== 'object' || input === null) return null;
  let schema = input as JsonSchema;
  const ref = typeof schema.$ref === 'string' ? schema.$ref : undefined;
  if (ref && ctx.seenRefs.has(ref)) return RECURSION;
  schema = deref(schema, ctx);
  if (ref) ctx.seenRefs.add(ref);
  try {
    if (Array.isArray(schema.allOf)) schema = mergeAllOf(schema, ctx);
    if ('const' in schema) return schema.const;
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return pickEnum(schema.enum, ctx);
    const branches = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
    if (Array.isArray(branches) && branches.length > 0) {
      const nonNull = branches.find((b) => !(typeof b === 'object' && b !== null && (b as JsonSchema).type === 'null'));
      const { anyOf: _a, oneOf: _o, ...base } = schema;
      return gen({ ...base, ...(nonNull as JsonSchema ?? {}) }, ctx, depth, propName);
    }
    if ('default' in schema && !ctx.filler) return schema.default;
    let type = schema.type;
    if (Array.isArray(type)) type = type.find((t) => t !== 'null') ?? 'null';
    if (type === undefined) type = schema.properties ? 'object' : schema.items ? 'array' : 'string';
    switch (type) {
      case 'object':
        return genObject(schema, ctx, depth);
      case 'array':
        return genArray(schema, ctx, depth, propName);
      case 'integer':
        return genNumber(schema, true, ctx);
      case 'number':
        return genNumber(schema, false, ctx);
      case 'boolean':
        return true;
      case 'null':
        return null;
      default:
        return genString(schema, ctx, propName);
    }
  } finally {
    if (ref) ctx.seenRefs.delete(ref);
  }
}

function genObject(schema: JsonSchema, ctx: GenContext, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = (schema.properties ?? {}) as Record<string, unknown>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  for (const [name, sub] of Object.entries(props)) {
    // Deep optional members are left out so recursive schemas terminate.
    if (depth > 6 && !required.has(name)) continue;
    const value = gen(sub, ctx, depth + 1, name);
    if (value === RECURSION) {
      if (required.has(name)) out[name] = {};
      continue;
    }
    out[name] = value;
  }
  for (const name of required) {
    if (!(name in out)) {
      const extra = schema.additionalProperties;
      out[name] = gen(typeof extra === 'object' ? extra : {}, ctx, depth + 1, name);
    }
  }
  const minProps = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
  for (let i = Object.keys(out).length; i < minProps; i++) {
    const extra = schema.additionalProperties;
    out[`key${i + 1}`] = gen(typeof extra === 'object' ? extra : {}, ctx, depth + 1);
  }
  return out;
}

function genArray(schema: JsonSchema, ctx: GenContext, depth: number, propName?: string): unknown[] {
  const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const max = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
  const count = Math.min(Math.max(min, depth > 6 ? 0 : 1), max);
  const tuple = Array.isArray(schema.prefixItems) ? (schema.prefixItems as unknown[]) : Array.isArray(schema.items) ? (schema.items as unknown[]) : undefined;
  const out: unknown[] = [];
  for (let i = 0; i < Math.max(count, tuple?.length ?? 0); i++) {
    const itemSchema = tuple?.[i] ?? (Array.isArray(schema.items) ? {} : schema.items);
    let item = gen(itemSchema ?? {}, ctx, depth + 1, propName);
    if (item === RECURSION) break;
    if (schema.uniqueItems && out.some((o) => JSON.stringify(o) === JSON.stringify(item))) {
      item = typeof item === 'string' ? `${item}${i + 1}` : typeof item === 'number' ? item + i : item;
    }
    out.push(item);
  }
  return out;
}

/** A schema-valid instance: objects with their properties, arrays with minItems, enums, formats, ranges. */
export function exampleFromSchema(schema: JsonSchema): unknown {
  return gen(schema, { root: schema, seenRefs: new Set() }, 0);
}

function exampleFromText(schema: JsonSchema, text: string, excluded: Set<string>): unknown {
  return gen(schema, { root: schema, seenRefs: new Set(), filler: makeFiller(text, excluded) }, 0);
}

// ---------------------------------------------------------------------------- decisions

function toolNameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !GENERIC_TOOL_WORDS.has(w));
}

function toolScore(name: string, text: string): number {
  const lower = text.toLowerCase();
  if (lower.includes(name.toLowerCase())) return 100;
  const textWords = new Set(words(text).map(stem));
  return toolNameWords(name).filter((w) => textWords.has(stem(w))).length;
}

function chooseTools(req: SyntheticRequest): SyntheticRequest['tools'] {
  const { tools, toolChoice } = req;
  if (tools.length === 0 || toolChoice === 'none') return [];
  if (typeof toolChoice === 'object') {
    return [tools.find((t) => t.name === toolChoice.name) ?? { name: toolChoice.name, schema: { type: 'object' } }];
  }
  const scored = tools.map((t) => ({ tool: t, score: toolScore(t.name, req.lastUserText) }));
  if (toolChoice === 'any') {
    const best = scored.reduce((a, b) => (b.score > a.score ? b : a));
    return [best.tool];
  }
  if (req.lastMessageIsToolResult) return [];
  return scored.filter((s) => s.score > 0).map((s) => s.tool);
}

const LABEL_TRIGGER = /\b(classif\w*|categori[sz]\w*|category|label\w*|sentiment|one word|single word|answer with|respond with|reply with|choose|pick one|select one|one of)\b/i;

function splitLabels(list: string): string[] {
  return list
    .split(/,|\bor\b|\/|\||;/i)
    .map((s) => s.replace(/^\s*(?:and|either)\s+/i, '').replace(/^[\s"'“”`*\-[(]+|[\s"'“”`*.\])]+$/g, ''))
    .filter((s) => s.length > 0 && s.length <= 30 && s.split(/\s+/).length <= 3);
}

/** Labels offered by the prompt ("one of: a, b, c", "positive, negative or neutral", quoted options). */
function findLabels(text: string): string[] {
  const patterns = [
    /\b(?:one of|among|labels?|categories|classes|options|choices)(?:\s+the following)?\s*(?:are|is)?\s*[:\-]?\s*\[?([^\n.?!\]]+)/i,
    /\b(?:as|with|either)\s+((?:["'“`]?[\w-]+["'”`]?\s*(?:,|\bor\b|\/)\s*)+(?:or\s+)?["'“`]?[\w-]+["'”`]?)/i,
  ];
  for (const re of patterns) {
    const m = re.exec(text);
    if (m) {
      const labels = splitLabels(m[1]!);
      if (labels.length >= 2) return labels;
    }
  }
  const quoted = quotedStrings(text).filter((q) => q.length <= 30);
  if (quoted.length >= 2) return [...new Set(quoted)];
  const bullets = [...text.matchAll(/^\s*[-*•]\s+(.{1,30})$/gm)].map((m) => m[1]!.trim());
  return bullets.length >= 2 ? bullets : [];
}

const POSITIVE = new Set('good great excellent love loved like liked amazing awesome happy fantastic wonderful best perfect pleased satisfied recommend enjoy enjoyed nice brilliant fast helpful'.split(' '));
const NEGATIVE = new Set('bad terrible awful hate hated poor worst broken slow angry disappointed disappointing useless horrible refund problem problems issue issues failed fail late rude never'.split(' '));

function pickLabel(labels: string[], text: string): string {
  const textWords = words(text).map(stem);
  const bag = new Set(textWords);
  const sentiment = textWords.reduce((s, w) => s + (POSITIVE.has(w) ? 1 : NEGATIVE.has(w) ? -1 : 0), 0);
  const scores = labels.map((label) => {
    const lw = words(label).map(stem);
    let score = lw.filter((w) => bag.has(w)).length * 2;
    if (lw.some((w) => /^pos/.test(w))) score += sentiment > 0 ? 3 : 0;
    if (lw.some((w) => /^neg/.test(w))) score += sentiment < 0 ? 3 : 0;
    if (lw.some((w) => /^neutral|^mixed/.test(w))) score += sentiment === 0 ? 1 : 0;
    return score;
  });
  const best = Math.max(...scores);
  const tied = labels.filter((_, i) => scores[i] === best);
  return tied[fnv1a(text) % tied.length]!;
}

/** The user text with the sentences that state the labels removed, so label words don't count. */
function textToClassify(user: string, labels: string[]): string {
  const lowerLabels = labels.map((l) => l.toLowerCase());
  const sentences = user.split(/(?<=[.!?\n])\s*/);
  const kept = sentences.filter((s) => !(LABEL_TRIGGER.test(s) && lowerLabels.filter((l) => s.toLowerCase().includes(l)).length >= 2));
  return kept.join(' ') || user;
}

// ---------------------------------------------------------------------------- text

const WORDING = {
  gpt: {
    greeting: 'Hello! How can I help you today?',
    lead: 'Sure.',
    inShort: 'In short,',
    closing: 'Let me know if you need more detail.',
    toolLead: 'According to the tool result,',
    image: 'The image appears to show content related to',
    summary: 'Summary:',
  },
  nova: {
    greeting: 'Hello! How can I assist you today?',
    lead: 'Certainly.',
    inShort: 'In summary,',
    closing: 'Let me know if you would like more details.',
    toolLead: 'Based on the tool result,',
    image: 'The image seems to show content related to',
    summary: 'Here is a summary:',
  },
} as const;

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+|\n+/).map((s) => s.trim()).filter(Boolean);
}

function summaryText(user: string, flavor: Flavor): string {
  const w = WORDING[flavor];
  // Skip the instruction ("Summarize the following:") and keep about a quarter of the rest.
  const stripped = user.replace(/^[^:\n]*\b(summar\w*|tl;?dr|condense|shorten)\b[^:\n]*:\s*/i, '');
  const body = sentences(stripped).filter((s) => !/\b(summar\w*|tl;?dr|condense|shorten)\b/i.test(s));
  const totalWords = user.split(/\s+/).filter(Boolean).length;
  const budget = Math.max(6, Math.floor(totalWords / 4));
  const picked: string[] = [];
  let used = 0;
  for (const s of body) {
    const n = s.split(/\s+/).length;
    if (used + n > budget) {
      if (picked.length === 0) picked.push(`${s.split(/\s+/).slice(0, budget).join(' ')}…`);
      break;
    }
    picked.push(s);
    used += n;
  }
  const core = picked.join(' ') || listPhrase(keywords(user, 4));
  return `${w.summary} ${core}`;
}

function freeText(req: SyntheticRequest, flavor: Flavor): string {
  const w = WORDING[flavor];
  const user = req.lastUserText.trim();
  if (/\b(summar\w*|tl;?dr|condense|shorten)\b/i.test(user) && user.split(/\s+/).length > 20) return summaryText(user, flavor);
  const kws = keywords(user, 6);
  if (kws.length === 0 && !req.hasImage) return w.greeting;
  const parts: string[] = [w.lead];
  if (kws.length > 0) {
    parts.push(`The main points of your request are ${listPhrase(kws.slice(0, 4))}.`);
    if (kws.length > 1) parts.push(`${w.inShort} ${kws[0]} relates to ${listPhrase(kws.slice(1, 3))}.`);
  }
  if (req.hasImage) parts.push(`${w.image} ${kws[0] ?? 'your question'}.`);
  parts.push(w.closing);
  return parts.join(' ');
}

function toolResultAnswer(req: SyntheticRequest, flavor: Flavor): string {
  const result = (req.toolResultText ?? '').trim().replace(/\s+/g, ' ');
  const snippet = result.length > 300 ? `${result.slice(0, 300)}…` : result || 'no data was returned';
  return `${WORDING[flavor].toolLead} ${snippet}`;
}

function jsonObjectAnswer(req: SyntheticRequest): Record<string, unknown> {
  const prompt = `${req.system}\n${req.lastUserText}`;
  const m = /\b(?:keys?|fields?|properties)\s*[:\-]?\s*([^\n.]+)/i.exec(prompt);
  const keys: string[] = [];
  for (const raw of m ? m[1]!.split(/[\s,;]+/) : []) {
    const token = raw.replace(/^["'`]+|["'`:]+$/g, '');
    if (/^(and|or)$/i.test(token) || token === '') continue;
    if (STOPWORDS.has(token.toLowerCase()) || !/^[A-Za-z_]\w*$/.test(token)) break;
    keys.push(token);
  }
  if (keys.length > 0) {
    const excluded = new Set([...keys.map((k) => k.toLowerCase()), 'json', 'keys', 'key', 'fields', 'field', 'properties', 'object']);
    const filler = makeFiller(req.lastUserText, excluded);
    return Object.fromEntries(keys.map((k) => [k, filler.candidates.shift() ?? 'example']));
  }
  const kws = keywords(req.lastUserText, 3);
  return { topic: kws[0] ?? 'general', keywords: kws, summary: `The request is about ${listPhrase(kws) || 'a general question'}.` };
}

/** Applies stop sequences and the token limit to generated text, whichever comes first. */
function limitText(text: string, req: SyntheticRequest, flavor: Flavor): SyntheticAnswer {
  let cut = Infinity;
  let matched: string | undefined;
  for (const s of req.stop ?? []) {
    if (!s) continue;
    const i = text.indexOf(s);
    if (i >= 0 && i < cut) {
      cut = i;
      matched = s;
    }
  }
  const maxChars = req.maxTokens !== undefined ? req.maxTokens * 4 : Infinity;
  if (maxChars < text.length && maxChars <= cut) {
    return { kind: 'text', text: text.slice(0, maxChars), stopReason: 'max_tokens' };
  }
  if (matched !== undefined) {
    const end = flavor === 'nova' ? cut + matched.length : cut;
    return { kind: 'text', text: text.slice(0, end), stopReason: 'stop_sequence', matchedStop: matched };
  }
  return { kind: 'text', text, stopReason: 'end_turn' };
}

export function synthesize(req: SyntheticRequest, flavor: Flavor): SyntheticAnswer {
  const tools = chooseTools(req);
  if (tools.length > 0) {
    const excluded = new Set(tools.flatMap((t) => toolNameWords(t.name)).flatMap((w) => [w, stem(w)]));
    return {
      kind: 'tool_calls',
      calls: tools.map((t) => {
        const input = exampleFromText(t.schema, req.lastUserText, excluded);
        return { name: t.name, input: typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : { value: input } };
      }),
    };
  }
  if (req.lastMessageIsToolResult) return limitText(toolResultAnswer(req, flavor), req, flavor);
  if (req.jsonSchema) return limitText(JSON.stringify(exampleFromText(req.jsonSchema, req.lastUserText, new Set())), req, flavor);
  if (req.jsonObject) return limitText(JSON.stringify(jsonObjectAnswer(req)), req, flavor);
  const prompt = `${req.system}\n${req.lastUserText}`;
  if (LABEL_TRIGGER.test(prompt)) {
    const labels = findLabels(prompt);
    if (labels.length >= 2) return limitText(pickLabel(labels, textToClassify(req.lastUserText, labels)), req, flavor);
    if (/\b(one|single) word\b/i.test(prompt)) {
      const kw = keywords(req.lastUserText.replace(/\b(one|single) word\b/gi, ''), 1)[0];
      if (kw) return limitText(capitalize(kw), req, flavor);
    }
  }
  return limitText(freeText(req, flavor), req, flavor);
}
