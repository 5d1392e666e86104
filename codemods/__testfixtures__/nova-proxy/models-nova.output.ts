import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
export const r = client.chat.completions.create({ model: 'amazon.nova-lite-v1:0', messages: [] });
export const unknownModel = client.chat.completions.create({ model: 'gpt-4o-realtime-preview', messages: [] });
