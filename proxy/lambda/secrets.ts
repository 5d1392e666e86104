/**
 * API keys for the Lambda deployment come from Secrets Manager — never from plain
 * environment variables (visible to anyone with lambda:GetFunctionConfiguration). The
 * secret is read once per container at cold start and cached with the app.
 *
 * Accepted secret strings: `{"apiKeys": ["k1", "k2"]}`, `{"apiKey": "k1"}` (what the
 * template's generated secret holds), or a plain comma-separated list.
 */
export interface SecretsClientLike {
  send(command: unknown): Promise<{ SecretString?: string }>;
}

export function parseApiKeysSecret(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new Error('the API keys secret is not valid JSON');
    }
    const o = parsed as { apiKeys?: unknown; apiKey?: unknown };
    const keys = Array.isArray(o.apiKeys) ? o.apiKeys : typeof o.apiKey === 'string' ? [o.apiKey] : undefined;
    if (!keys || keys.some((k) => typeof k !== 'string')) throw new Error('the API keys secret must hold {"apiKeys": [strings]} or {"apiKey": string}');
    return keys as string[];
  }
  return trimmed.split(',').map((s) => s.trim()).filter(Boolean);
}

export async function fetchApiKeys(secretId: string, region: string, client?: SecretsClientLike): Promise<string[]> {
  return parseApiKeysSecret(await fetchSecretString(secretId, region, client));
}

/**
 * The key that signs self-describing Responses item ids. Every instance behind the API
 * must share it, or an id issued by one container fails on the next; the template
 * generates it in its own secret. Accepted: the plain string, or `{"itemIdKey": "..."}`.
 */
export async function fetchItemIdKey(secretId: string, region: string, client?: SecretsClientLike): Promise<string> {
  const text = (await fetchSecretString(secretId, region, client)).trim();
  if (!text.startsWith('{')) return text;
  const o = JSON.parse(text) as { itemIdKey?: unknown };
  if (typeof o.itemIdKey !== 'string') throw new Error('the item id key secret must hold a string or {"itemIdKey": string}');
  return o.itemIdKey;
}

async function fetchSecretString(secretId: string, region: string, client?: SecretsClientLike): Promise<string> {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const c = client ?? new SecretsManagerClient({ region });
  try {
    const out = await c.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (!out.SecretString) throw new Error(`secret ${secretId} has no SecretString`);
    return out.SecretString;
  } finally {
    if (!client) (c as { destroy?: () => void }).destroy?.();
  }
}
