import OpenAI from 'openai';

const client = new OpenAI({ dangerouslyAllowBrowser: true });

export function Button() {
  return <button onClick={() => client.models.list()}>List</button>;
}
