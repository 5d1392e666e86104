import { OpenAI } from '@llamaindex/openai';
import { OpenAI as LegacyLlm } from 'llamaindex';

export const llm = new OpenAI({ model: 'gpt-4o-mini' });
export const legacy = new LegacyLlm();
