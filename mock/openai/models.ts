// The models the fake OpenAI knows. Anything else is a 404 `model_not_found`,
// like an account without access to that model.
import type { Model } from 'openai/resources/models';

// [id, created (unix seconds), owned_by] — creation dates roughly as OpenAI lists them.
const CHAT: [string, number, string][] = [
  ['gpt-4o', 1715367049, 'system'],
  ['gpt-4o-2024-05-13', 1715368132, 'system'],
  ['gpt-4o-2024-08-06', 1722814719, 'system'],
  ['gpt-4o-2024-11-20', 1739331543, 'system'],
  ['gpt-4o-mini', 1721172741, 'system'],
  ['gpt-4o-mini-2024-07-18', 1721172717, 'system'],
  ['gpt-3.5-turbo', 1677610602, 'openai'],
  ['gpt-3.5-turbo-0125', 1706048358, 'system'],
  ['gpt-3.5-turbo-1106', 1698959748, 'system'],
  ['gpt-4.1', 1744316542, 'system'],
  ['gpt-4.1-2025-04-14', 1744315746, 'system'],
  ['gpt-4.1-mini', 1744318173, 'system'],
  ['gpt-4.1-mini-2025-04-14', 1744317547, 'system'],
  ['gpt-4.1-nano', 1744321707, 'system'],
  ['gpt-4.1-nano-2025-04-14', 1744321025, 'system'],
];

const EMBEDDING: [string, number, string][] = [
  ['text-embedding-3-small', 1705948997, 'system'],
  ['text-embedding-3-large', 1705953180, 'system'],
  ['text-embedding-ada-002', 1671217299, 'openai-internal'],
];

const toModel = ([id, created, owned_by]: [string, number, string]): Model => ({ id, object: 'model', created, owned_by });

export const CHAT_MODELS: readonly string[] = CHAT.map(([id]) => id);
export const EMBEDDING_MODELS: readonly string[] = EMBEDDING.map(([id]) => id);

export function listModels(): Model[] {
  return [...CHAT, ...EMBEDDING].map(toModel);
}

export function findModel(id: string): Model | undefined {
  const row = [...CHAT, ...EMBEDDING].find(([m]) => m === id);
  return row ? toModel(row) : undefined;
}

export const isChatModel = (id: string): boolean => CHAT_MODELS.includes(id);
export const isEmbeddingModel = (id: string): boolean => EMBEDDING_MODELS.includes(id);
