import { openai, createOpenAI } from '@ai-sdk/openai';

export const other = createOpenAI({ baseURL: 'https://api.together.xyz/v1' });
export const model = openai.chat('gpt-4o');
