import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';

export const chat = new ChatOpenAI({ model: 'gpt-4o-mini', temperature: 0 });
export const embeddings = new OpenAIEmbeddings({ model: 'text-embedding-3-small' });
export const configured = new ChatOpenAI({ configuration: { organization: 'org' } });
