import { ChatOpenAI } from '@langchain/openai';

export const llm = new ChatOpenAI({
  temperature: 0,
  model: 'amazon.nova-pro-v1:0',
  configuration: { baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1' },
  openAIApiKey: process.env.NOVA_PROXY_API_KEY
});
export const mini = new ChatOpenAI({ model: 'amazon.nova-lite-v1:0', configuration: { baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1' }, openAIApiKey: process.env.NOVA_PROXY_API_KEY });
