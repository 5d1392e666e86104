import OpenAI, { AzureOpenAI } from 'openai';

const common = { maxRetries: 2 };
export const a = new OpenAI(common);
export const b = new AzureOpenAI(common);
