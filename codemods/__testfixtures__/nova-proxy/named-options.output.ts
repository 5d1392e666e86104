import { OpenAI } from 'openai';

export function makeClient(key: string) {
  // factory
  return new OpenAI({
    apiKey: key,
    timeout: 10_000, // ms
    baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1',
  });
}
