import { OpenAI } from 'openai-api';
import { OpenAIClient } from '@azure/openai';
import { OpenAI as LlamaLike } from './local-openai';

class Configuration {
  constructor(readonly o: object) {}
}

export const a = new OpenAI('key');
export const b = new OpenAIClient('https://x.openai.azure.com', {} as never);
export const c = new LlamaLike();
export const d = new Configuration({ apiKey: 'k' });
