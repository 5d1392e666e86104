import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';

export const chat = new ChatOpenAI({ model: 'gpt-4o-mini', temperature: 0, configuration: { baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1' }, openAIApiKey: process.env.NOVA_PROXY_API_KEY });
export const embeddings = new OpenAIEmbeddings({ model: 'text-embedding-3-small', configuration: { baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1' }, openAIApiKey: process.env.NOVA_PROXY_API_KEY });
export const configured = new ChatOpenAI({ configuration: { organization: 'org', baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1' }, openAIApiKey: process.env.NOVA_PROXY_API_KEY });
