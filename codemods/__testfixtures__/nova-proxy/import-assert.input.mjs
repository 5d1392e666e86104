import OpenAI from 'openai';
import pkg from './package.json' assert { type: 'json' };

export class Agent {
  @logged accessor client = new OpenAI({ defaultHeaders: { 'x-app': pkg.name } });
}
function logged() {}
