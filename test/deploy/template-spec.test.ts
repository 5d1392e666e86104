/**
 * deploy/template.yaml against the CloudFormation resource specification, plus the two
 * permissions the spec alone cannot judge: a public function URL needs both
 * lambda:InvokeFunctionUrl and (for URLs created since October 2025) lambda:InvokeFunction
 * restricted to function-URL calls; the log-group policy must match the group's streams.
 * The validator itself is checked on a labelled set of broken templates, so a validator
 * that accepts everything cannot pass.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { SpecDatabase } from '@aws-cdk/service-spec-types';
import { parseCfn } from './cfn-yaml.js';
import { specDatabase, validateTemplate } from './cfn-spec.js';

const template = () => parseCfn(readFileSync(new URL('../../deploy/template.yaml', import.meta.url), 'utf8'));
let spec: SpecDatabase;
beforeAll(async () => {
  spec = await specDatabase();
}, 120_000);

describe('deploy/template.yaml against the CloudFormation resource specification', () => {
  it('has no errors: types, properties, required, allowed values, references, GetAtt attributes', () => {
    expect(validateTemplate(spec, template())).toEqual([]);
  });

  it('the public function URL grants both InvokeFunctionUrl and InvokeFunction (via the URL only)', () => {
    const t = template();
    const R = t.Resources as Record<string, any>;
    expect(R.ProxyFunctionUrl.Properties.AuthType).toBe('NONE');
    const grants = Object.values(R).filter((r: any) => r.Type === 'AWS::Lambda::Permission' && r.Condition === 'FunctionUrl').map((r: any) => r.Properties);
    const url = grants.find((p: any) => p.Action === 'lambda:InvokeFunctionUrl');
    const invoke = grants.find((p: any) => p.Action === 'lambda:InvokeFunction');
    expect(url).toMatchObject({ Principal: '*', FunctionUrlAuthType: 'NONE', FunctionName: { 'Fn::GetAtt': ['ProxyFunction', 'Arn'] } });
    // Without InvokedViaFunctionUrl this would let anyone invoke the function directly.
    expect(invoke).toMatchObject({ Principal: '*', InvokedViaFunctionUrl: true, FunctionName: { 'Fn::GetAtt': ['ProxyFunction', 'Arn'] } });
  });

  it("the logs policy uses the log group's Arn as is (it already ends in :*)", () => {
    const R = template().Resources as Record<string, any>;
    const statements = R.FunctionRole.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    const logs = statements.find((s: any) => [s.Action].flat().includes('logs:PutLogEvents'));
    expect(logs.Resource).toEqual({ 'Fn::GetAtt': ['FunctionLogGroup', 'Arn'] });
  });
});

describe('the validator catches what CloudFormation would reject (labelled broken templates)', () => {
  const broken: Array<[string, (t: any) => void, RegExp]> = [
    ['an unknown resource type', (t) => (t.Resources.ProxyFunction.Type = 'AWS::Lambda::Functions'), /unknown resource type AWS::Lambda::Functions/],
    ['an unknown property', (t) => (t.Resources.ProxyFunctionUrl.Properties.InvokeModes = 'BUFFERED'), /ProxyFunctionUrl\.Properties\.InvokeModes: unknown property/],
    ['a misspelt property of a property type', (t) => (t.Resources.ProxyFunction.Properties.LoggingConfig.LogGroupName = 'x'), /LoggingConfig\.LogGroupName: unknown property/],
    ['a missing required property', (t) => delete t.Resources.ProxyFunctionUrl.Properties.AuthType, /ProxyFunctionUrl\.Properties\.AuthType: required property missing/],
    ['a value outside the allowed values', (t) => (t.Resources.ProxyFunctionUrl.Properties.InvokeMode = 'STREAM'), /"STREAM" is not one of BUFFERED, RESPONSE_STREAM/],
    ['a parameter allowing a value the property does not', (t) => t.Parameters.LogRetentionDays.AllowedValues.push(2), /parameter LogRetentionDays allows 2, which is not one of 1, 3, 5/],
    ['a GetAtt of an attribute the type lacks', (t) => (t.Outputs.FunctionUrl.Value = { 'Fn::GetAtt': ['ProxyFunctionUrl', 'Url'] }), /AWS::Lambda::Url has no attribute Url/],
    ['a Ref to nothing', (t) => (t.Resources.ApiStage.Properties.RestApiId = { Ref: 'RestAPI' }), /Ref to unknown RestAPI/],
    ['a Sub variable that does not exist', (t) => (t.Resources.RestApi.Properties.Name = { 'Fn::Sub': '${StackName}' }), /Sub variable \$\{StackName\} is unknown/],
    ['a Ref where the property wants an attribute', (t) => (t.Resources.ProxyFunctionUrl.Properties.TargetFunctionArn = { Ref: 'ProxyFunction' }), /expects Arn of AWS::Lambda::Function, but Ref ProxyFunction gives FunctionName/],
    ['the doubled log-group wildcard', (t) => (t.Resources.FunctionRole.Properties.Policies[2].PolicyDocument.Statement[0].Resource = { 'Fn::Sub': '${FunctionLogGroup.Arn}:*' }), /FunctionLogGroup\.Arn already ends in ":\*"/],
    ['a list where a string goes', (t) => (t.Resources.ProxyFunction.Properties.Handler = ['lambda.handler']), /Handler: expected a string/],
    ['an unknown condition', (t) => (t.Resources.ProxyFunctionUrl.Condition = 'FunctionURL'), /unknown condition FunctionURL/],
    ['a Default outside the AllowedValues', (t) => (t.Parameters.Stage.Default = 'test'), /Default test is not one of its AllowedValues/],
  ];

  it.each(broken)('%s', (_label, breakIt, expected) => {
    const t = template();
    breakIt(t);
    const errors = validateTemplate(spec, t);
    expect(errors.length, 'the broken template must be rejected').toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(expected);
  });
});
