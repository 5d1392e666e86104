/**
 * A deterministic synthetic "model" shared by the fake Bedrock and the fake OpenAI. Both
 * flavors make the same decisions (which tool, which label, which JSON) from the same
 * request, but word free text slightly differently, so a parity report shows high but not
 * perfect similarity. Nova keeps a matched stop sequence at the end of the text; GPT drops it.
 */
import type { JsonSchema } from './synthetic/schema-example.js';
import { exampleFromText, makeFiller } from './synthetic/schema-example.js';
import { findLabels, LABEL_TRIGGER, pickLabel, textToClassify } from './synthetic/labels.js';
import { capitalize, GENERIC_TOOL_WORDS, keywords, listPhrase, STOPWORDS, stem, words } from './synthetic/words.js';

export type { JsonSchema } from './synthetic/schema-example.js';
export { exampleFromSchema } from './synthetic/schema-example.js';

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
    parts.push(`The main points of your request are ${listPhrase(kws)}.`);
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
        // An open object schema (no properties) leaves the content to the model, as in JSON mode.
        const open = !t.schema.properties || Object.keys(t.schema.properties as object).length === 0;
        const input = open ? jsonObjectAnswer(req) : exampleFromText(t.schema, req.lastUserText, excluded);
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
