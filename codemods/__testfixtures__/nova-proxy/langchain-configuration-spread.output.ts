import { ChatOpenAI } from '@langchain/openai';

// A base URL added after a spread would override one the spread holds: only visible contents are edited.
const visible = { organization: 'org' };
export const known = new ChatOpenAI({ model: 'gpt-4o', configuration: { defaultHeaders: { 'x-team': 'a' }, baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1' }, openAIApiKey: process.env.NOVA_PROXY_API_KEY });
export function unknown(base: Record<string, string>) {
  return new ChatOpenAI({ model: 'gpt-4o', configuration: { ...base } });
}
export const named = new ChatOpenAI({ model: 'gpt-4o', configuration: { ...visible, timeout: 5, baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1' }, openAIApiKey: process.env.NOVA_PROXY_API_KEY });
