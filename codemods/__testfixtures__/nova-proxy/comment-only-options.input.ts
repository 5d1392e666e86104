import OpenAI from 'openai';

export const client = new OpenAI({
  // keys come from the environment
});
// A test of the class is not a use of it as a value.
export const maybe = OpenAI && new OpenAI({ /* defaults */ });
