/**
 * deploy/template.yaml's structure, parsed with CloudFormation's intrinsic tags: the
 * resources exist, IAM is least-privilege, streaming is on end to end, keys live in
 * Secrets Manager, and monitoring (alarms, dashboard) hangs off EnableMonitoring.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseCfn } from './cfn-yaml.js';
import { METRICS } from '../../proxy/observability/metric-defs.js';

const text = readFileSync(new URL('../../deploy/template.yaml', import.meta.url), 'utf8');
const t = parseCfn(text);
const R = t.Resources as Record<string, any>;
const ofType = (type: string) => Object.entries(R).filter(([, r]) => r.Type === type);

function allStatements(): any[] {
  return ofType('AWS::IAM::Role').flatMap(([, role]) => (role.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement));
}

describe('deploy/template.yaml', () => {
  it('is CloudFormation with the expected resources', () => {
    expect(t.AWSTemplateFormatVersion).toBe('2010-09-09');
    // Sent inline as TemplateBody by `nova-migrate deploy`: CloudFormation's limit is 51,200 bytes.
    expect(Buffer.byteLength(text)).toBeLessThan(51_200);
    for (const type of [
      'AWS::Lambda::Function',
      'AWS::IAM::Role',
      'AWS::ApiGateway::RestApi',
      'AWS::ApiGateway::Method',
      'AWS::ApiGateway::Deployment',
      'AWS::ApiGateway::Stage',
      'AWS::Lambda::Permission',
      'AWS::SecretsManager::Secret',
      'AWS::Logs::LogGroup',
      'AWS::CloudWatch::Alarm',
      'AWS::CloudWatch::Dashboard',
    ])
      expect(ofType(type).length, type).toBeGreaterThan(0);
    // Every !Ref / !GetAtt points at a parameter, a resource or a pseudo parameter.
    const names = new Set([...Object.keys(t.Parameters), ...Object.keys(R)]);
    const walk = (v: any): void => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (!v || typeof v !== 'object') return;
      if (typeof v.Ref === 'string' && !v.Ref.startsWith('AWS::')) expect(names.has(v.Ref), `Ref ${v.Ref}`).toBe(true);
      if (Array.isArray(v['Fn::GetAtt'])) expect(R[v['Fn::GetAtt'][0]], `GetAtt ${v['Fn::GetAtt'][0]}`).toBeDefined();
      if (typeof v['Fn::Sub'] === 'string') {
        for (const [, ref] of v['Fn::Sub'].matchAll(/\$\{([^}!]+)\}/g)) {
          const base = ref!.split('.')[0]!;
          if (!base.startsWith('AWS::')) expect(names.has(base), `Sub \${${ref}}`).toBe(true);
        }
      }
      Object.values(v).forEach(walk);
    };
    walk(R);
    walk(t.Outputs);
    // Conditions used exist.
    for (const r of Object.values(R)) if (r.Condition) expect(t.Conditions[r.Condition]).toBeDefined();
  });

  it('Lambda: Node 20+, arm64, the streaming handler, log group with retention', () => {
    const [[, fn]] = ofType('AWS::Lambda::Function') as [[string, any]];
    const p = fn.Properties;
    expect(p.Architectures).toEqual(['arm64']);
    expect(t.Parameters.Runtime.AllowedValues.every((r: string) => Number(/^nodejs(\d+)\.x$/.exec(r)![1]) >= 20)).toBe(true);
    expect(p.Runtime).toEqual({ Ref: 'Runtime' });
    expect(p.Handler).toBe('lambda.handler');
    expect(p.Timeout).toEqual({ Ref: 'FunctionTimeout' });
    expect(t.Parameters.FunctionTimeout.MaxValue).toBe(900);
    expect(p.LoggingConfig.LogGroup).toEqual({ Ref: 'FunctionLogGroup' });
    expect(R.FunctionLogGroup.Properties.RetentionInDays).toEqual({ Ref: 'LogRetentionDays' });
    expect(p.Environment.Variables.NOVA_METRICS).toBe('emf');
  });

  it('IAM: Bedrock limited to the two invoke actions on Nova models and inference profiles, and InvokeModel on Titan V2 embeddings', () => {
    const statements = allStatements();
    const bedrock = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('bedrock:')));
    expect(bedrock).toHaveLength(2);
    const [s, titan] = bedrock;
    expect(titan.Effect).toBe('Allow');
    expect([titan.Action].flat()).toEqual(['bedrock:InvokeModel']);
    expect(titan.Resource).toBe('arn:aws:bedrock:*::foundation-model/amazon.titan-embed-text-v2:0');
    expect(s.Effect).toBe('Allow');
    expect([s.Action].flat().sort()).toEqual(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
    expect(s.Resource).toEqual([
      'arn:aws:bedrock:*::foundation-model/amazon.nova-*',
      { 'Fn::Sub': 'arn:aws:bedrock:*:${AWS::AccountId}:inference-profile/*.amazon.nova-*' },
    ]);
    // Nothing anywhere grants wildcards: no "*" action, no "service:*", no bare "*" resource.
    for (const st of statements) {
      for (const a of [st.Action].flat()) expect(a).not.toMatch(/(^\*$|:\*$)/);
      for (const r of [st.Resource].flat()) expect(r).not.toBe('*');
    }
    // No managed policies smuggling in more.
    for (const [, role] of ofType('AWS::IAM::Role')) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    // Secrets: read only, only the keys secret and the item-id key. Logs: only this function's log group.
    const secrets = statements.find((st) => [st.Action].flat().includes('secretsmanager:GetSecretValue'));
    expect([secrets.Action].flat()).toEqual(['secretsmanager:GetSecretValue']);
    expect(secrets.Resource).toEqual([{ 'Fn::If': ['CreateSecret', { Ref: 'ApiKeysSecret' }, { Ref: 'ApiKeysSecretArn' }] }, { Ref: 'ItemIdKeySecret' }]);
    const logs = statements.find((st) => [st.Action].flat().includes('logs:PutLogEvents'));
    expect(logs.Resource).toEqual({ 'Fn::GetAtt': ['FunctionLogGroup', 'Arn'] });
  });

  it('streaming end to end: REST integration STREAM via response-streaming-invocations; function URL RESPONSE_STREAM', () => {
    const methods = ofType('AWS::ApiGateway::Method');
    expect(methods).toHaveLength(1);
    const integ = methods[0]![1].Properties.Integration;
    expect(integ.Type).toBe('AWS_PROXY');
    expect(integ.ResponseTransferMode).toBe('STREAM');
    expect(integ.IntegrationHttpMethod).toBe('POST');
    expect(integ.Uri['Fn::Sub']).toMatch(/:lambda:path\/2021-11-15\/functions\/\$\{ProxyFunction\.Arn\}\/response-streaming-invocations$/);
    expect(integ.TimeoutInMillis).toBeGreaterThan(29_000);
    expect(integ.TimeoutInMillis).toBeLessThanOrEqual(900_000);
    expect(R.ProxyResource.Properties.PathPart).toBe('{proxy+}');
    expect(R.ProxyFunctionUrl.Properties.InvokeMode).toBe('RESPONSE_STREAM');
    expect(R.ProxyFunctionUrl.Condition).toBe('FunctionUrl');
    // Stages: dev|prod, one stage resource named after the parameter.
    expect(t.Parameters.Stage.AllowedValues).toEqual(['dev', 'prod']);
    expect(R.ApiStage.Properties.StageName).toEqual({ Ref: 'Stage' });
    expect(R.ApiInvokePermission.Properties.Principal).toBe('apigateway.amazonaws.com');
  });

  it('API keys: in Secrets Manager, passed by ARN, never as a plain environment variable', () => {
    const env = R.ProxyFunction.Properties.Environment.Variables;
    expect(env.NOVA_API_KEYS_SECRET_ARN).toEqual({ 'Fn::If': ['CreateSecret', { Ref: 'ApiKeysSecret' }, { Ref: 'ApiKeysSecretArn' }] });
    expect(env).not.toHaveProperty('NOVA_PROXY_API_KEYS');
    expect(JSON.stringify(env)).not.toMatch(/apiKey"|SecretString|resolve:secretsmanager/);
    expect(R.ApiKeysSecret.Properties.GenerateSecretString).toMatchObject({ GenerateStringKey: 'apiKey' });
  });

  it('Responses item ids: one generated signing key shared by every container, passed by ARN', () => {
    const env = R.ProxyFunction.Properties.Environment.Variables;
    expect(env.NOVA_ITEM_ID_KEY_SECRET_ARN).toEqual({ Ref: 'ItemIdKeySecret' });
    expect(env).not.toHaveProperty('NOVA_ITEM_ID_KEY');
    expect(R.ItemIdKeySecret.Type).toBe('AWS::SecretsManager::Secret');
    expect(R.ItemIdKeySecret.Properties.GenerateSecretString.PasswordLength).toBeGreaterThanOrEqual(32);
  });

  it('monitoring: alarms on errors, latency, TTFT and overhead, and a dashboard with the proxy metrics — all behind EnableMonitoring', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThanOrEqual(4);
    for (const [, a] of alarms) {
      expect(a.Condition).toBe('Monitoring');
      expect(a.Properties.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
    }
    const described = JSON.stringify(alarms);
    expect(described).toContain('"MetricName":"Errors"');
    expect(described).toContain('"MetricName":"5XXError"');
    expect(described).toContain('"MetricName":"Latency"');
    expect(described).toContain(METRICS.ttft.name);
    expect(described).toContain(METRICS.overhead.name);
    expect(R.Dashboard.Condition).toBe('Monitoring');
    // The body is JSON once !Sub has substituted its variables.
    const body = R.Dashboard.Properties.DashboardBody['Fn::Sub'].replace(/\$\{[^}]+\}/g, 'X');
    const dash = JSON.parse(body);
    const all = JSON.stringify(dash);
    for (const m of [METRICS.requests, METRICS.errors, METRICS.duration, METRICS.ttft, METRICS.overhead, METRICS.inputTokens, METRICS.outputTokens, METRICS.cost])
      expect(all, m.name).toContain(m.name);
    expect(dash.widgets.map((w: any) => w.properties.title).join('|')).toMatch(/cost per model/i);
  });
});
