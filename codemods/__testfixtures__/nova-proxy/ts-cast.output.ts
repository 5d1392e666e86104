import OpenAI from 'openai';

const raw = <unknown>JSON.parse('{}');
export const client = new OpenAI({ apiKey: <string>raw, baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1' });
