import OpenAI from 'openai';

const client = new OpenAI();
export const r = client.chat.completions.create({ model: 'gpt-4o-mini', messages: [] });
export const unknownModel = client.chat.completions.create({ model: 'gpt-4o-realtime-preview', messages: [] });
