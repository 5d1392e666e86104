import OpenAI from 'openai';
import { createOpenAI } from '@ai-sdk/openai';
import { ChatOpenAI } from '@langchain/openai';

const client = new OpenAI({ defaultQuery: { model: 'gpt-4o' } });
const groq = new OpenAI({ baseURL: 'https://api.groq.com/openai/v1' });
const ollama = createOpenAI({ baseURL: 'http://localhost:11434/v1' });
export const lc = new ChatOpenAI({ model: 'gpt-4o', configuration: { baseURL: 'https://api.groq.com/openai/v1' } });

export const a = client.chat.completions.create({ model: 'gpt-4o-mini', messages: [] });
export const b = groq.chat.completions.create({ model: 'gpt-4o-mini', messages: [] });
export const c = ollama.chat('gpt-4o');
export const d = { model: 'gpt-4o' };

export function make() {
  const groq = new OpenAI();
  return groq.chat.completions.create({ model: 'gpt-4o', messages: [] });
}
export function again() {
  const client = new OpenAI();
  return client.chat.completions.create({ model: 'gpt-4o', messages: [] });
}
