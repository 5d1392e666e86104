import OpenAI, { AzureOpenAI } from 'openai';
import { ChatOpenAI } from '@langchain/openai';

// A subclass: its instances are built by callers with options we can't see.
export class TracedOpenAI extends OpenAI {
  constructor(key: string) {
    super({ apiKey: key });
  }
}
// The class handed on as a value: a DI container or registry builds the client.
export const providers = { openai: OpenAI, chat: ChatOpenAI };
export const Ctor = process.env.AZURE ? AzureOpenAI : OpenAI;
export function register(container: { bind(c: unknown): void }) {
  container.bind(OpenAI);
}
// Not values: types, instanceof, static members, a test's type check.
export function isClient(x: unknown): x is OpenAI {
  return x instanceof OpenAI && OpenAI.APIError !== undefined;
}
export const Inject = (token: unknown) => (target: object, key: string) => void [token, target, key];
export class UsesToken {
  @Inject(OpenAI) client!: OpenAI;
}
export const check = (expectLike: { toBeInstanceOf(c: unknown): void }) => expectLike.toBeInstanceOf(OpenAI);
export const client = new OpenAI({ baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
