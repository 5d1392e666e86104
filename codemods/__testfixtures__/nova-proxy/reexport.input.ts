import OpenAI from 'openai';

// A barrel module: other modules build clients from these names, out of this file's sight.
export { default as OpenAIClient } from 'openai';
export * from 'openai';
export { OpenAI };
export type { ChatCompletion } from 'openai/resources/chat/completions';
export { ChatOpenAI } from '@langchain/openai';

export const client = new OpenAI();
