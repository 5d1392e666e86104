/**
 * `encoding_format: "base64"`: the vector as little-endian float32 bytes, base64-encoded,
 * exactly what OpenAI returns (the openai SDKs decode it into a Float32Array; the Node SDK
 * asks for base64 by default).
 */
export function float32Base64(vector: readonly number[]): string {
  const buf = Buffer.allocUnsafe(vector.length * 4);
  for (let i = 0; i < vector.length; i++) buf.writeFloatLE(vector[i]!, i * 4);
  return buf.toString('base64');
}
