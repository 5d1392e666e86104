import { OpenAI } from '@langchain/openai';

export const llm = new OpenAI({ model: 'gpt-3.5-turbo-instruct' });
