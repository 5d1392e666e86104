import OpenAI from 'openai';

export function g(OpenAI: any) {
  return new OpenAI();
}
export function h() {
  const OpenAI = class {};
  return new OpenAI();
}
export const client = new OpenAI();
