import OpenAI from 'openai';

const config = Object.freeze({ apiKey: process.env.OPENAI_API_KEY, timeout: 30_000 });
export const frozen = new OpenAI(config);
export const sealed = new OpenAI(Object.seal({ maxRetries: 1 }) satisfies object);
const azure = Object.freeze({ apiKey: 'k', defaultQuery: { 'api-version': '2024-06-01' } });
export const az = new OpenAI(azure);
