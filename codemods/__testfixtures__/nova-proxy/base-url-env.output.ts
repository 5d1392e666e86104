import OpenAI from 'openai';

export const configurable = new OpenAI({ baseURL: process.env.LLM_BASE_URL });
export const defaulted = new OpenAI({ baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: 'k' });
