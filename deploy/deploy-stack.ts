/**
 * `nova-migrate deploy`: bundle the Lambda, upload it to an artifacts bucket, create or
 * update the CloudFormation stack from deploy/template.yaml, wait, and print the URL plus
 * the one line a client changes. `dryRun` prints the template and parameters and makes no
 * AWS call at all (no client is even constructed).
 *
 * AWS clients are injectable so the flow is testable without an account.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface DeployOptions {
  region: string;
  stage: 'dev' | 'prod';
  stackName?: string;
  enableMonitoring?: boolean;
  dryRun?: boolean;
  /** Artifacts bucket; default: the bucket of the `nova-migrate-artifacts` bootstrap stack (created if missing). */
  bucket?: string;
  /** Extra template parameters (override the ones derived from options). */
  parameters?: Record<string, string>;
  /** Use this zip instead of building (e.g. the prebuilt deploy/dist/lambda.zip of an installed package). */
  zipPath?: string;
  out?: (line: string) => void;
  clients?: { cloudformation?: SendClient; s3?: SendClient };
  /** Waiter limit, seconds. */
  maxWaitSeconds?: number;
}

export interface SendClient {
  send(command: any): Promise<any>;
}

export interface DeployResult {
  stackName: string;
  parameters: Record<string, string>;
  templateBody: string;
  outputs: Record<string, string>;
  action: 'dry-run' | 'created' | 'updated' | 'unchanged';
}

export const BOOTSTRAP_STACK = 'nova-migrate-artifacts';

const BOOTSTRAP_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Description: nova-migrate deployment artifacts (Lambda bundles, content-addressed; expire after 90 days).
Resources:
  ArtifactsBucket:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: { SSEAlgorithm: AES256 }
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
      OwnershipControls:
        Rules: [{ ObjectOwnership: BucketOwnerEnforced }]
      LifecycleConfiguration:
        Rules:
          - { Id: expire-old-bundles, Status: Enabled, Prefix: nova-migrate/, ExpirationInDays: 90 }
  ArtifactsBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref ArtifactsBucket
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: TlsOnly
            Effect: Deny
            Principal: '*'
            Action: 's3:*'
            Resource: [!GetAtt ArtifactsBucket.Arn, !Sub '\${ArtifactsBucket.Arn}/*']
            Condition: { Bool: { 'aws:SecureTransport': 'false' } }
Outputs:
  BucketName:
    Value: !Ref ArtifactsBucket
`;

/** The package root (where package.json and deploy/ live), from source or from dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'deploy', 'template.yaml'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the nova-migrate package root (deploy/template.yaml)');
}

export function readTemplate(): string {
  return readFileSync(join(packageRoot(), 'deploy', 'template.yaml'), 'utf8');
}

export function defaultStackName(stage: string): string {
  return `nova-migrate-proxy-${stage}`;
}

export function templateParameters(opts: DeployOptions, code: { bucket: string; key: string }): Record<string, string> {
  return {
    Stage: opts.stage,
    CodeS3Bucket: code.bucket,
    CodeS3Key: code.key,
    EnableMonitoring: opts.enableMonitoring ? 'true' : 'false',
    ...opts.parameters,
  };
}

interface Bundle {
  zip: Buffer;
  sha256: string;
  zipBytes: number;
  source: string;
}

async function getBundle(opts: DeployOptions): Promise<Bundle> {
  const { createHash } = await import('node:crypto');
  const { readFile } = await import('node:fs/promises');
  let zipPath = opts.zipPath;
  if (!zipPath) {
    const root = packageRoot();
    const script = join(root, 'deploy', 'build-lambda.mjs');
    try {
      const mod = (await import(pathToFileURL(script).href)) as { buildLambda: (o?: object) => Promise<{ zipPath: string }> };
      zipPath = (await mod.buildLambda()).zipPath;
    } catch (err) {
      // An installed package has no esbuild (a dev dependency): use the shipped bundle.
      const shipped = join(root, 'deploy', 'dist', 'lambda.zip');
      if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND' || !existsSync(shipped)) throw err;
      zipPath = shipped;
    }
  }
  const zip = await readFile(zipPath);
  return { zip, zipBytes: zip.length, sha256: createHash('sha256').update(zip).digest('hex'), source: zipPath };
}

function toCfnParameters(params: Record<string, string>) {
  return Object.entries(params).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
}

export async function deploy(opts: DeployOptions): Promise<DeployResult> {
  const out = opts.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const stackName = opts.stackName ?? defaultStackName(opts.stage);
  const templateBody = readTemplate();
  const bundle = await getBundle(opts);
  const key = `nova-migrate/lambda-${bundle.sha256.slice(0, 16)}.zip`;

  if (opts.dryRun) {
    const bucket = opts.bucket ?? `<bucket of stack ${BOOTSTRAP_STACK} in ${opts.region}, created if missing>`;
    const parameters = templateParameters(opts, { bucket, key });
    out('# nova-migrate deploy --dry-run: nothing was sent to AWS.');
    out(`# stack ${stackName} in ${opts.region}; Lambda bundle ${bundle.source} (${(bundle.zipBytes / 1024).toFixed(0)} KiB, sha256 ${bundle.sha256})`);
    out(`# would: upload s3://${bucket}/${key}; create or update the stack (CAPABILITY_IAM); wait; print the API URL`);
    out('# parameters:');
    out(JSON.stringify(parameters, null, 2));
    out('# template (deploy/template.yaml):');
    out(templateBody);
    return { stackName, parameters, templateBody, outputs: {}, action: 'dry-run' };
  }

  const cfnMod = await import('@aws-sdk/client-cloudformation');
  const cfn = opts.clients?.cloudformation ?? new cfnMod.CloudFormationClient({ region: opts.region });
  const maxWaitTime = opts.maxWaitSeconds ?? 1800;

  const bucket = opts.bucket ?? (await ensureBootstrap(cfn, cfnMod, maxWaitTime, out));
  const s3Mod = await import('@aws-sdk/client-s3');
  const s3 = opts.clients?.s3 ?? new s3Mod.S3Client({ region: opts.region });
  out(`uploading the Lambda bundle (${(bundle.zipBytes / 1024).toFixed(0)} KiB) to s3://${bucket}/${key}`);
  await s3.send(new s3Mod.PutObjectCommand({ Bucket: bucket, Key: key, Body: bundle.zip, ContentType: 'application/zip' }));

  const parameters = templateParameters(opts, { bucket, key });
  const existing = await describeStack(cfn, cfnMod, stackName);
  if (existing?.StackStatus === 'ROLLBACK_COMPLETE') {
    throw new DeployError(`stack ${stackName} is in ROLLBACK_COMPLETE (its first creation failed); delete it and deploy again: aws cloudformation delete-stack --stack-name ${stackName} --region ${opts.region}`);
  }
  const common = {
    StackName: stackName,
    TemplateBody: templateBody,
    Parameters: toCfnParameters(parameters),
    Capabilities: ['CAPABILITY_IAM' as const],
    Tags: [
      { Key: 'app', Value: 'nova-migrate' },
      { Key: 'stage', Value: opts.stage },
    ],
  };
  let action: DeployResult['action'];
  if (!existing) {
    out(`creating stack ${stackName} in ${opts.region}…`);
    await cfn.send(new cfnMod.CreateStackCommand(common));
    await expectWaiter(cfnMod.waitUntilStackCreateComplete({ client: cfn as never, maxWaitTime }, { StackName: stackName }), stackName);
    action = 'created';
  } else {
    out(`updating stack ${stackName} in ${opts.region}…`);
    try {
      await cfn.send(new cfnMod.UpdateStackCommand(common));
      await expectWaiter(cfnMod.waitUntilStackUpdateComplete({ client: cfn as never, maxWaitTime }, { StackName: stackName }), stackName);
      action = 'updated';
    } catch (err) {
      if (!/No updates are to be performed/i.test((err as Error).message)) throw err;
      action = 'unchanged';
    }
  }
  const final = await describeStack(cfn, cfnMod, stackName);
  const outputs = Object.fromEntries((final?.Outputs ?? []).map((o: { OutputKey?: string; OutputValue?: string }) => [o.OutputKey ?? '', o.OutputValue ?? '']));
  printResult(out, stackName, action, outputs, opts.region);
  return { stackName, parameters, templateBody, outputs, action };
}

export class DeployError extends Error {
  override name = 'DeployError';
}

async function expectWaiter(p: Promise<{ state: string; reason?: unknown }>, stackName: string) {
  try {
    const r = await p;
    if (r.state !== 'SUCCESS') throw new DeployError(`stack ${stackName} did not complete: ${r.state}`);
  } catch (err) {
    if (err instanceof DeployError) throw err;
    throw new DeployError(`stack ${stackName} failed: ${(err as Error).message}. See its events: aws cloudformation describe-stack-events --stack-name ${stackName}`);
  }
}

async function describeStack(cfn: SendClient, mod: typeof import('@aws-sdk/client-cloudformation'), name: string) {
  try {
    const r = await cfn.send(new mod.DescribeStacksCommand({ StackName: name }));
    return r.Stacks?.[0] as { StackStatus?: string; Outputs?: { OutputKey?: string; OutputValue?: string }[] } | undefined;
  } catch (err) {
    if (/does not exist/i.test((err as Error).message)) return undefined;
    throw err;
  }
}

async function ensureBootstrap(cfn: SendClient, mod: typeof import('@aws-sdk/client-cloudformation'), maxWaitTime: number, out: (l: string) => void): Promise<string> {
  let stack = await describeStack(cfn, mod, BOOTSTRAP_STACK);
  if (!stack) {
    out(`creating the artifacts bucket (stack ${BOOTSTRAP_STACK})…`);
    await cfn.send(new mod.CreateStackCommand({ StackName: BOOTSTRAP_STACK, TemplateBody: BOOTSTRAP_TEMPLATE, Tags: [{ Key: 'app', Value: 'nova-migrate' }] }));
    await expectWaiter(mod.waitUntilStackCreateComplete({ client: cfn as never, maxWaitTime }, { StackName: BOOTSTRAP_STACK }), BOOTSTRAP_STACK);
    stack = await describeStack(cfn, mod, BOOTSTRAP_STACK);
  }
  const bucket = stack?.Outputs?.find((o) => o.OutputKey === 'BucketName')?.OutputValue;
  if (!bucket) throw new DeployError(`stack ${BOOTSTRAP_STACK} has no BucketName output; pass --bucket`);
  return bucket;
}

function printResult(out: (l: string) => void, stackName: string, action: string, outputs: Record<string, string>, region: string) {
  const url = outputs.ApiUrl ?? '<ApiUrl output missing>';
  out('');
  out(`${stackName}: ${action}`);
  out(`  API:  ${url}`);
  if (outputs.FunctionUrl) out(`  Function URL: ${outputs.FunctionUrl}v1`);
  if (outputs.DashboardUrl) out(`  Dashboard: ${outputs.DashboardUrl}`);
  out('');
  out('Change one line in your client — the base URL (and use a proxy API key as the API key):');
  out(`  OPENAI_BASE_URL=${url}`);
  if (outputs.ApiKeysSecretArn) {
    out('API key:');
    out(`  aws secretsmanager get-secret-value --region ${region} --secret-id ${outputs.ApiKeysSecretArn} --query SecretString --output text`);
  }
}
