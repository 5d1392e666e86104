import { generateText } from 'ai';
import { openai } from '@ai-sdk/openai';
import { z } from 'zod';

export async function run() {
  return generateText({ model: openai('gpt-4o'), prompt: 'hi', schema: z.string() });
}
