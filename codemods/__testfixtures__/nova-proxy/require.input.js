const OpenAI = require('openai');
const { OpenAI: Named } = require('openai');

class Service {
  client = new OpenAI({ maxRetries: 2 });
  other = new Named();
}

module.exports = { Service };
