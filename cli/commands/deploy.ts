import type { CommandModule } from 'yargs';
import { UserError } from '../errors.js';

interface DeployArgs {
  region?: string;
  stage: 'dev' | 'prod';
  'enable-monitoring'?: boolean;
  'dry-run'?: boolean;
  'stack-name'?: string;
  bucket?: string;
  'api-keys-secret-arn'?: string;
  'inference-profile'?: string;
  'function-url'?: boolean;
  'alarm-email'?: string;
  parameter?: string[];
  zip?: string;
}

export const deployCommand: CommandModule<object, DeployArgs> = {
  command: 'deploy',
  describe: 'Deploy the proxy to AWS Lambda behind API Gateway (response streaming) with CloudFormation',
  builder: (y) =>
    y
      .option('region', { type: 'string', describe: 'AWS region (env AWS_REGION)' })
      .option('stage', { type: 'string', choices: ['dev', 'prod'] as const, default: 'dev' as const, describe: 'Stage: API Gateway stage and name suffix' })
      .option('enable-monitoring', { type: 'boolean', describe: 'Create alarms (errors, latency, TTFT, overhead) and a CloudWatch dashboard' })
      .option('dry-run', { type: 'boolean', describe: 'Print the template and parameters; call nothing' })
      .option('stack-name', { type: 'string', describe: 'CloudFormation stack name', defaultDescription: 'nova-migrate-proxy-<stage>' })
      .option('bucket', { type: 'string', describe: 'S3 bucket for the Lambda bundle', defaultDescription: 'created by the nova-migrate-artifacts stack' })
      .option('api-keys-secret-arn', { type: 'string', describe: 'Existing Secrets Manager secret with the client API keys', defaultDescription: 'a new secret with a generated key' })
      .option('inference-profile', { type: 'string', choices: ['auto', 'none', 'us', 'eu', 'apac', 'global'], describe: 'Cross-region inference profiles', defaultDescription: 'auto' })
      .option('function-url', { type: 'boolean', describe: 'Also create a Lambda function URL (RESPONSE_STREAM)' })
      .option('alarm-email', { type: 'string', describe: 'Email subscribed to the alarms (with --enable-monitoring)' })
      .option('parameter', { type: 'string', array: true, describe: 'Template parameter override, Key=Value (repeatable)' })
      .option('zip', { type: 'string', describe: 'Use this Lambda zip instead of building one' })
      .example('$0 deploy --region us-east-1 --stage prod --enable-monitoring', 'create or update the prod stack')
      .example('$0 deploy --region us-east-1 --stage dev --dry-run', 'print what would be deployed'),
  handler: async (args) => {
    const region = args.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new UserError('choose a region with --region (or set AWS_REGION).');
    const parameters: Record<string, string> = {};
    if (args['api-keys-secret-arn']) parameters.ApiKeysSecretArn = args['api-keys-secret-arn'];
    if (args['inference-profile']) parameters.InferenceProfile = args['inference-profile'];
    if (args['function-url']) parameters.EnableFunctionUrl = 'true';
    if (args['alarm-email']) parameters.AlarmEmail = args['alarm-email'];
    for (const p of args.parameter ?? []) {
      const eq = p.indexOf('=');
      if (eq <= 0) throw new UserError(`--parameter must be Key=Value, got "${p}"`);
      parameters[p.slice(0, eq)] = p.slice(eq + 1);
    }
    const { deploy, DeployError } = await import('../../deploy/deploy-stack.js');
    try {
      await deploy({
        region,
        stage: args.stage,
        stackName: args['stack-name'],
        enableMonitoring: args['enable-monitoring'] === true,
        dryRun: args['dry-run'] === true,
        bucket: args.bucket,
        zipPath: args.zip,
        parameters,
      });
    } catch (err) {
      if (err instanceof DeployError) throw new UserError(err.message, 1);
      const name = (err as Error).name;
      if (name === 'CredentialsProviderError' || name === 'ExpiredTokenException' || name === 'UnrecognizedClientException') {
        throw new UserError(`AWS credentials: ${(err as Error).message}. Configure credentials (aws configure / aws sso login / AWS_PROFILE) or use --dry-run.`);
      }
      throw err;
    }
  },
};
