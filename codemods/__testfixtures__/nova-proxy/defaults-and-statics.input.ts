import OpenAI from 'openai';

// A default parameter and a static field are followed like any other binding.
const other = new OpenAI();
export function up(f: File, c = other) {
  return c.files.create({ file: f, purpose: 'batch' });
}
export class S {
  static client = new OpenAI();
  up(f: File) {
    return S.client.files.create({ file: f, purpose: 'batch' });
  }
}
export class Chat {
  static client = new OpenAI();
  static ask() {
    return Chat.client.chat.completions.create({ model: 'gpt-4o', messages: [] });
  }
}
