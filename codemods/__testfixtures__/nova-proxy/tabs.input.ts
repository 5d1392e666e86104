import OpenAI from 'openai';

export class Llm {
	private client: OpenAI;
	constructor(key: string) {
		this.client = new OpenAI({ // tab-indented, comment on the opening line
			apiKey: key,
			timeout: 5_000,
		});
	}

	ask(q: string) {
		return this.client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: q }] });
	}
}

	export const second = new OpenAI({
		maxRetries: 1
	});
