// Mentions OpenAI in a comment only; nothing to do.
export class OpenAI {
  create() {}
}
export const c = new OpenAI();
