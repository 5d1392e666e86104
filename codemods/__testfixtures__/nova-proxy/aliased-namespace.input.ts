import { OpenAI as Client } from 'openai';
import * as oai from 'openai';

const a = new Client({ organization: 'org-1' });
const b = new oai.OpenAI({ apiKey: process.env.KEY });
const c = new oai.default();
