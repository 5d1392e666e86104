import OpenAI from 'openai';

// `#client` is followed like `this.client`: its files.create keeps this client on OpenAI.
export class Uploader {
  #client = new OpenAI();
  upload(file: File) {
    return this.#client.files.create({ file, purpose: 'batch' });
  }
}

export class Lazy {
  #client?: OpenAI;
  get client() {
    return (this.#client ??= new OpenAI({ timeout: 10_000, baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY }));
  }
  ask() {
    return this.#client?.chat.completions.create({ model: 'gpt-4o', messages: [] });
  }
}
