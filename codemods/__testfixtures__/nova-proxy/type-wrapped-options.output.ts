import OpenAI, { type ClientOptions } from 'openai';

// Options wrapped in type-only syntax are the same object literal.
const shared = { apiKey: 'x', maxRetries: 1, baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1' } satisfies ClientOptions;
export const a = new OpenAI(shared);
export const b = new OpenAI({ apiKey: 'y', baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1' } as ClientOptions);
export const c = new OpenAI(<ClientOptions>{ apiKey: 'z', baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1' });
export const d = new OpenAI(({ timeout: 5, baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY }));

// Azure through a named const object: recognised there too, never edited.
const azureOptions: ClientOptions = { baseURL: process.env.AZURE_URL, defaultQuery: { 'api-version': '2024-06-01' } };
export const e = new OpenAI(azureOptions);
