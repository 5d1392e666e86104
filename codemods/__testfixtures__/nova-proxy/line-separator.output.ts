import OpenAI from 'openai';

// A raw U+2028 in a string literal is valid JavaScript (ES2019).
export const greeting = 'one two';
export const client = new OpenAI({ maxRetries: 1, baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
