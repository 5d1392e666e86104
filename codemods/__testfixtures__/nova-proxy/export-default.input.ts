import OpenAI from 'openai';

// recast drops the location of an export default expression: the report still names its line.
export default new OpenAI({ maxRetries: 2 });
