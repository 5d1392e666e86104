import OpenAI from 'openai';

// Video generation is not served: left alone.
const video = new OpenAI();
export const render = (prompt: string) => video.videos.create({ model: 'sora-2', prompt });

// An API the tool doesn't know is never assumed served: repointed, and listed to verify.
const hooks = new OpenAI();
export const unwrap = (body: string, headers: Record<string, string>) => hooks.webhooks.unwrap(body, headers);
export const ask = () => hooks.chat.completions.create({ model: 'gpt-4o', messages: [] });
