import OpenAI from 'openai';

export const configurable = new OpenAI({ baseURL: process.env.LLM_BASE_URL });
export const defaulted = new OpenAI({ baseURL: undefined, apiKey: 'k' });
