import OpenAI from 'openai';

const options = {
  apiKey: process.env.OPENAI_API_KEY,
};
export const client = new OpenAI(options);

export function fromArgs(opts: OpenAI.ClientOptions) {
  return new OpenAI(opts);
}
