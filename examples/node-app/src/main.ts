import { answer } from './assistant.js';
import { conversationTitle } from './title.js';

const question = process.argv.slice(2).join(' ') || 'Where is my order A1002?';

process.stdout.write(`customer: ${question}\nassistant: `);
const reply = await answer(question, (text) => process.stdout.write(text), (line) => process.stderr.write(`${line}\n`));
process.stdout.write('\n');
process.stdout.write(`title: ${await conversationTitle(question, reply)}\n`);
