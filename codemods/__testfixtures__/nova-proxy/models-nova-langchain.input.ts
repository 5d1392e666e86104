import { ChatOpenAI } from '@langchain/openai';

export const llm = new ChatOpenAI({
  temperature: 0,
  model: 'gpt-4o'
});
export const mini = new ChatOpenAI({ model: 'gpt-4o-mini' });
