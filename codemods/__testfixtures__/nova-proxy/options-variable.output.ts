import OpenAI from 'openai';

const options = {
  apiKey: process.env.OPENAI_API_KEY,
  baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1',
};
export const client = new OpenAI(options);

export function fromArgs(opts: OpenAI.ClientOptions) {
  return new OpenAI(opts);
}
