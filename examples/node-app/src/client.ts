import OpenAI from 'openai';

// One client for the whole app. The SDK reads OPENAI_API_KEY from the environment.
export const openai = new OpenAI({ maxRetries: 2 });
