import { openai } from '@ai-sdk/openai';
export const model = openai('gpt-4o');
import { generateText } from 'ai';

export const run = () => generateText({ model, prompt: 'hi' });
