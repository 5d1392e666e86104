import OpenAI from 'openai';

const config = Object.freeze({ apiKey: process.env.OPENAI_API_KEY, timeout: 30_000, baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1' });
export const frozen = new OpenAI(config);
export const sealed = new OpenAI(Object.seal({ maxRetries: 1, baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY }) satisfies object);
const azure = Object.freeze({ apiKey: 'k', defaultQuery: { 'api-version': '2024-06-01' } });
export const az = new OpenAI(azure);
