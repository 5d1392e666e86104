import { OpenAI } from 'openai';

export function makeClient(key: string) {
  // factory
  return new OpenAI({
    apiKey: key,
    timeout: 10_000, // ms
  });
}
