/**
 * EXPERIMENT (benchmark only, not used by the product): a minimal Converse client — SigV4
 * signing and one keep-alive HTTP request, no SDK middleware stack — standing in for
 * BedrockRuntimeClient in a proxy process, to measure how much of the proxy's throughput
 * the SDK costs (the CPU profile puts ~30% of the proxy's time in @aws-sdk/@smithy).
 * Non-streaming Converse only.
 */
import http from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../mock/bedrock/sigv4-verify.js';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';


export function createLeanBedrockClient(opts: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string }) {
  const url = new URL(opts.endpoint);
  const signer = new SignatureV4({
    service: 'bedrock',
    region: opts.region,
    credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
    sha256: NodeSha256 as never,
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1024, scheduling: 'lifo' });
  return {
    async send(cmd: unknown, o?: { abortSignal?: AbortSignal }): Promise<any> {
      if (!(cmd instanceof ConverseCommand)) throw new Error('lean client: Converse only');
      const { modelId, ...rest } = cmd.input;
      const body = JSON.stringify(rest);
      const signed = await signer.sign({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        port: Number(url.port),
        path: `/model/${encodeURIComponent(modelId!)}/converse`,
        query: {},
        headers: { host: url.host, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
        body,
      });
      return new Promise((resolve, reject) => {
        const req = http.request(
          { host: url.hostname, port: url.port, path: signed.path, method: 'POST', headers: signed.headers, agent, signal: o?.abortSignal },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              if (res.statusCode !== 200) {
                const name = String(res.headers['x-amzn-errortype'] ?? 'ServiceException').split(':')[0]!;
                return reject(Object.assign(new Error(text), { name, $metadata: { httpStatusCode: res.statusCode } }));
              }
              resolve({ ...JSON.parse(text), $metadata: { httpStatusCode: 200 } });
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    destroy() {
      agent.destroy();
    },
  };
}
