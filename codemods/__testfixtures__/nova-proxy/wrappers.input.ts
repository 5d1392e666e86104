import OpenPipe from 'openpipe/openai';
import { OpenAI as FromSubpath } from 'openai/index.mjs';

export const a = new OpenPipe({ openpipe: { apiKey: process.env.OPENPIPE_API_KEY } });
export const b = new FromSubpath();
