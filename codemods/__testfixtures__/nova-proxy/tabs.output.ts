import OpenAI from 'openai';

export class Llm {
	private client: OpenAI;
	constructor(key: string) {
		this.client = new OpenAI({ // tab-indented, comment on the opening line
			apiKey: key,
			timeout: 5_000,
			baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1',
		});
	}

	ask(q: string) {
		return this.client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: q }] });
	}
}

	export const second = new OpenAI({
		maxRetries: 1,
		baseURL: process.env.NOVA_PROXY_URL ?? 'http://127.0.0.1:8080/v1',
		apiKey: process.env.NOVA_PROXY_API_KEY
	});
