/**
 * `nova-migrate deploy`: the dry run through the CLI (prints template and parameters,
 * sends nothing — an AWS endpoint on loopback records any request), and the
 * create/update flow against scripted CloudFormation and S3 clients.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli as runSharedCli } from '../support/cli.js';
import { deploy, BOOTSTRAP_STACK } from '../../deploy/deploy-stack.js';
import { parseCfn } from './cfn-yaml.js';

let server: Server;
const hits: string[] = [];
const savedEnv = { ...process.env };
beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(500).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  // Any AWS SDK call from this process would land here.
  process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${port}`;
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret';
});
afterAll(async () => {
  process.env = savedEnv;
  await new Promise((r) => server.close(r));
});

async function runCli(argv: string[]) {
  const r = await runSharedCli(argv);
  return { out: r.stdout, err: r.stderr, code: r.code };
}

describe('nova-migrate deploy --dry-run', () => {
  it('prints the parameters and the template, builds the bundle, calls nothing', async () => {
    const { out, err, code } = await runCli(['deploy', '--region', 'us-east-1', '--stage', 'prod', '--enable-monitoring', '--dry-run', '--alarm-email', 'ops@example.com']);
    expect(err).toBe('');
    expect(code ?? 0).toBe(0);
    expect(hits).toEqual([]);
    expect(out).toContain('nothing was sent to AWS');
    expect(out).toMatch(/stack nova-migrate-proxy-prod in us-east-1/);
    const paramsJson = /# parameters:\n(\{[\s\S]*?\n\})/.exec(out)![1]!;
    const params = JSON.parse(paramsJson);
    expect(params).toMatchObject({ Stage: 'prod', EnableMonitoring: 'true', AlarmEmail: 'ops@example.com' });
    expect(params.CodeS3Key).toMatch(/^nova-migrate\/lambda-[0-9a-f]{16}\.zip$/);
    const template = parseCfn(out.split('# template (deploy/template.yaml):\n')[1]!);
    expect(template.Resources.ProxyFunction.Type).toBe('AWS::Lambda::Function');
    // Every parameter passed exists in the template.
    for (const k of Object.keys(params)) expect(template.Parameters[k], k).toBeDefined();
  }, 60_000);

  it('rejects a bad stage and a bad --parameter as user errors', async () => {
    const bad = await runCli(['deploy', '--region', 'us-east-1', '--stage', 'staging', '--dry-run']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/stage/);
    const badParam = await runCli(['deploy', '--region', 'us-east-1', '--dry-run', '--parameter', 'oops']);
    expect(badParam.code).toBe(2);
    expect(badParam.err).toMatch(/Key=Value/);
    expect(hits).toEqual([]);
  });
});

/** CloudFormation as a state machine: stacks complete as soon as they are created or updated. */
function fakeCloudFormation() {
  const stacks = new Map<string, { status: string; outputs: Record<string, string>; params?: any[] }>();
  const calls: { name: string; input: any }[] = [];
  return {
    stacks,
    calls,
    async send(cmd: any) {
      const name = cmd.constructor.name as string;
      calls.push({ name, input: cmd.input });
      const s = stacks.get(cmd.input.StackName);
      switch (name) {
        case 'DescribeStacksCommand':
          if (!s) throw Object.assign(new Error(`Stack with id ${cmd.input.StackName} does not exist`), { name: 'ValidationError' });
          return { Stacks: [{ StackName: cmd.input.StackName, StackStatus: s.status, Outputs: Object.entries(s.outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })) }] };
        case 'CreateStackCommand':
          stacks.set(cmd.input.StackName, {
            status: 'CREATE_COMPLETE',
            params: cmd.input.Parameters,
            outputs:
              cmd.input.StackName === BOOTSTRAP_STACK
                ? { BucketName: 'nova-migrate-artifacts-bucket-1' }
                : { ApiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/dev/v1', ApiKeysSecretArn: 'arn:aws:secretsmanager:us-east-1:1:secret:k' },
          });
          return {};
        case 'UpdateStackCommand':
          if (JSON.stringify(s!.params) === JSON.stringify(cmd.input.Parameters)) throw Object.assign(new Error('No updates are to be performed.'), { name: 'ValidationError' });
          s!.params = cmd.input.Parameters;
          s!.status = 'UPDATE_COMPLETE';
          return {};
      }
      throw new Error(`unexpected ${name}`);
    },
  };
}

describe('deploy flow (scripted AWS clients)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nova-deploy-'));
  const zipPath = join(dir, 'lambda.zip');
  writeFileSync(zipPath, Buffer.from('PK fake zip'));

  it('creates the artifacts bucket stack, uploads the bundle, creates the stack, prints the URL and the client line; then updates/unchanged', async () => {
    const cfn = fakeCloudFormation();
    const puts: any[] = [];
    const s3 = { send: async (cmd: any) => void puts.push(cmd.input) };
    const lines: string[] = [];
    const res = await deploy({ region: 'us-east-1', stage: 'dev', zipPath, out: (l) => lines.push(l), clients: { cloudformation: cfn, s3 } });
    expect(res.action).toBe('created');
    expect(cfn.calls.filter((c) => c.name === 'CreateStackCommand').map((c) => c.input.StackName)).toEqual([BOOTSTRAP_STACK, 'nova-migrate-proxy-dev']);
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({ Bucket: 'nova-migrate-artifacts-bucket-1', ContentType: 'application/zip' });
    const create = cfn.calls.find((c) => c.name === 'CreateStackCommand' && c.input.StackName === 'nova-migrate-proxy-dev')!.input;
    expect(create.Capabilities).toEqual(['CAPABILITY_IAM']);
    expect(create.Parameters).toContainEqual({ ParameterKey: 'CodeS3Key', ParameterValue: puts[0].Key });
    expect(create.Parameters).toContainEqual({ ParameterKey: 'EnableMonitoring', ParameterValue: 'false' });
    const text = lines.join('\n');
    expect(text).toContain('OPENAI_BASE_URL=https://abc123.execute-api.us-east-1.amazonaws.com/dev/v1');
    expect(text).toContain('aws secretsmanager get-secret-value');

    const again = await deploy({ region: 'us-east-1', stage: 'dev', zipPath, out: () => {}, clients: { cloudformation: cfn, s3 } });
    expect(again.action).toBe('unchanged');
    const monitored = await deploy({ region: 'us-east-1', stage: 'dev', zipPath, enableMonitoring: true, out: () => {}, clients: { cloudformation: cfn, s3 } });
    expect(monitored.action).toBe('updated');
    expect(hits).toEqual([]);
  });

  it('refuses to update a stack stuck in ROLLBACK_COMPLETE, with the command to fix it', async () => {
    const cfn = fakeCloudFormation();
    cfn.stacks.set('nova-migrate-proxy-prod', { status: 'ROLLBACK_COMPLETE', outputs: {} });
    await expect(
      deploy({ region: 'us-east-1', stage: 'prod', bucket: 'b', zipPath, out: () => {}, clients: { cloudformation: cfn, s3: { send: async () => ({}) } } }),
    ).rejects.toThrow(/delete-stack --stack-name nova-migrate-proxy-prod/);
  });
});
