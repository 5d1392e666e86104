import { OpenAI } from '@llamaindex/openai';
import { OpenAI as LegacyLlm } from 'llamaindex';

export const llm = new OpenAI({ model: 'gpt-4o-mini', baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
export const legacy = new LegacyLlm({ baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
