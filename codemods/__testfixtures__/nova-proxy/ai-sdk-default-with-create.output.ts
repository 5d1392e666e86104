import { createOpenAI } from '@ai-sdk/openai';

const openai = createOpenAI({ baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });

export const other = createOpenAI({ baseURL: 'https://api.together.xyz/v1' });
export const model = openai.chat('gpt-4o');
