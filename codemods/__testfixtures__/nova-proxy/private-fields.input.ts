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
    return (this.#client ??= new OpenAI({ timeout: 10_000 }));
  }
  ask() {
    return this.#client?.chat.completions.create({ model: 'gpt-4o', messages: [] });
  }
}
