import { OpenAI, BedrockOpenAI } from 'openai';

export const wi = new OpenAI({ workloadIdentity: { provider: 'aws' } });
export const bedrock = new BedrockOpenAI({ region: 'us-east-1' });
export const noParens = new OpenAI;
