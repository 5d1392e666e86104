import { ChatOpenAI } from '@langchain/openai';

// A base URL added after a spread would override one the spread holds: only visible contents are edited.
const visible = { organization: 'org' };
export const known = new ChatOpenAI({ model: 'gpt-4o', configuration: { defaultHeaders: { 'x-team': 'a' } } });
export function unknown(base: Record<string, string>) {
  return new ChatOpenAI({ model: 'gpt-4o', configuration: { ...base } });
}
export const named = new ChatOpenAI({ model: 'gpt-4o', configuration: { ...visible, timeout: 5 } });
