import OpenAI, { AzureOpenAI } from 'openai';

export const resident = new OpenAI({ dataResidency: 'eu' });
export const viaProvider = new OpenAI({ provider: someProvider() });
export const azure = new AzureOpenAI({ apiVersion: '2024-10-21', deployment: 'gpt-4o' });

declare function someProvider(): never;
