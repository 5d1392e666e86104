import { createOpenAI } from '@ai-sdk/openai';

export const provider = createOpenAI({ compatibility: 'strict' });
