/**
 * Token arrays → text. Clients that tokenize before sending (LangChain Python's
 * OpenAIEmbeddings does by default) use cl100k_base, the encoding of every OpenAI embeddings
 * model; Bedrock's embeddings models take text, so the proxy decodes them.
 *
 * The tokenizer's rank table is about 1 MB of JavaScript and takes a moment to build, so it
 * is loaded on the first request that needs it, once per process.
 */
import type { Tiktoken } from 'js-tiktoken/lite';

let tokenizer: Promise<Tiktoken> | undefined;

function load(): Promise<Tiktoken> {
  tokenizer ??= (async () => {
    const [{ Tiktoken }, ranks] = await Promise.all([import('js-tiktoken/lite'), import('js-tiktoken/ranks/cl100k_base')]);
    return new Tiktoken(ranks.default);
  })();
  return tokenizer;
}

/**
 * Decodes cl100k_base token IDs (already range-checked by parse-request.ts). A multi-byte
 * character split across two arrays (clients chunk long texts by token count) decodes to a
 * replacement character at the cut, as it would for the model.
 */
export async function decodeTokens(tokens: readonly number[]): Promise<string> {
  return (await load()).decode(tokens as number[]);
}
