import OpenAI from 'openai';

export const ollama = new OpenAI({ baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: 'ollama' });
