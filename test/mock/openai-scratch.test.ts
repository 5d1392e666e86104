import { validateOpenAI } from '../../mock/spec/openai-validator.js';
const t0=Date.now();
for (const n of ['CreateChatCompletionRequest','CreateChatCompletionResponse','CreateChatCompletionStreamResponse','ListModelsResponse','Model','ErrorResponse','CreateEmbeddingRequest','CreateEmbeddingResponse'] as const) console.log(n, validateOpenAI(n, {}));
console.log('compile ms', Date.now()-t0);
console.log(validateOpenAI('CreateChatCompletionRequest', {model:'gpt-4o', messages:[{role:'user', content:'hi'}], temperature: 5}));
console.log(validateOpenAI('CreateChatCompletionRequest', {model:'gpt-4o', messages:[{role:'user', content:[{type:'image_url', image_url:{}}]}]}));
console.log(validateOpenAI('CreateChatCompletionRequest', {model:'gpt-4o', messages:[{role:'bogus', content:'x'}]}));
console.log(validateOpenAI('CreateChatCompletionRequest', {model:'gpt-4o', messages:[{role:'user', content:'x'}], stop:null, n:null, response_format:{type:'json_schema', json_schema:{name:'x', schema:{type:'object'}}}, tools:[{type:'function', function:{name:'f', parameters:{type:'object'}}}], tool_choice:{type:'function', function:{name:'f'}}}));
import {test} from 'vitest'; test('x',()=>{});
