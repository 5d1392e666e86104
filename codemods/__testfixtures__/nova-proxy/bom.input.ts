import OpenAI from 'openai';
export const client = new OpenAI({ maxRetries: 1 });
