import OpenAI from 'openai';

export function g(OpenAI: any) {
  return new OpenAI();
}
export function h() {
  const OpenAI = class {};
  return new OpenAI();
}
export const client = new OpenAI({ baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
