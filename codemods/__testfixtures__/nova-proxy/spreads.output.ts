import OpenAI from 'openai';

const base = { maxRetries: 3 };
export const known = new OpenAI({ ...base, apiKey: 'k', baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1' });

export function unknown(extra: Record<string, unknown>) {
  return new OpenAI({ ...extra, apiKey: 'k' });
}
