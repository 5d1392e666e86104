import OpenAI from 'openai';

const base = { maxRetries: 3 };
export const known = new OpenAI({ ...base, apiKey: 'k' });

export function unknown(extra: Record<string, unknown>) {
  return new OpenAI({ ...extra, apiKey: 'k' });
}
