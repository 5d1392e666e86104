/** `--models nova`: OpenAI model names → Nova IDs, from the proxy's own alias table. */
import { createModelResolver } from '../proxy/models.js';

const resolver = createModelResolver();

/** The Nova ID for an OpenAI model name, or undefined when it isn't one we map. */
export function novaModelFor(name: string): string | undefined {
  if (name.startsWith('amazon.nova-') || /^[a-z]+\.amazon\.nova-/.test(name)) return undefined;
  return resolver.resolve(name)?.bedrockId;
}
