import OpenAI, { type ClientOptions } from 'openai';

// Options wrapped in type-only syntax are the same object literal.
const shared = { apiKey: 'x', maxRetries: 1 } satisfies ClientOptions;
export const a = new OpenAI(shared);
export const b = new OpenAI({ apiKey: 'y' } as ClientOptions);
export const c = new OpenAI(<ClientOptions>{ apiKey: 'z' });
export const d = new OpenAI(({ timeout: 5 }));

// Azure through a named const object: recognised there too, never edited.
const azureOptions: ClientOptions = { baseURL: process.env.AZURE_URL, defaultQuery: { 'api-version': '2024-06-01' } };
export const e = new OpenAI(azureOptions);
