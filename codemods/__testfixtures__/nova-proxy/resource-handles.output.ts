import OpenAI from 'openai';

// A resource kept as a handle counts as the calls its resource makes.
const c1 = new OpenAI();
const { files } = c1;
export const up = (f: File) => files.create({ file: f, purpose: 'batch' });

const c2 = new OpenAI();
const batches = c2.batches;
export const list = () => batches.list();

const c3 = new OpenAI({ baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1', apiKey: process.env.NOVA_PROXY_API_KEY });
const completions = c3.chat.completions;
export const ask = () => completions.create({ model: 'gpt-4o', messages: [] });
// Testing for a resource is not keeping it.
export const hasFiles = () => !!c3.files;
