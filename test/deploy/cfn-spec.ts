/**
 * A CloudFormation template checked against the CloudFormation resource specification
 * (`@aws-cdk/aws-service-spec`, the registry schemas AWS CDK generates its L1 constructs
 * from): resource types exist; properties exist and have the right shape, recursively
 * through property types; required properties are present; literal values and the
 * AllowedValues of parameters passed with !Ref are among the spec's allowed values; every
 * Ref, GetAtt, Sub variable, condition and DependsOn points at something that exists, each
 * GetAtt at an attribute the resource type has, and a Ref/GetAtt in a property that names
 * the resource types it takes gives the identifier that property expects.
 *
 * cfn-lint and the SAM CLI cannot run here; this is the same check on the same data.
 */
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import type { SpecDatabase, Resource, PropertyType, Property } from '@aws-cdk/service-spec-types';

type Json = any;

const PSEUDO = new Set(['AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix']);
const PARAMETER_TYPES = /^(String|Number|List<Number>|CommaDelimitedList|AWS::[A-Za-z0-9:]+|List<AWS::[A-Za-z0-9:]+>|AWS::SSM::Parameter::(Name|Value<.+>))$/;

let db: Promise<SpecDatabase> | undefined;
/** The spec database (≈5 s to load: share it). */
export function specDatabase(): Promise<SpecDatabase> {
  return (db ??= loadAwsServiceSpec());
}

export function resourceSpec(spec: SpecDatabase, type: string): Resource | undefined {
  return spec.lookup('resource', 'cloudFormationType', 'equals', type)[0];
}

/** Every problem found, as `path: message`; empty when the template is valid. */
export function validateTemplate(spec: SpecDatabase, t: Json): string[] {
  const errors: string[] = [];
  const params: Record<string, Json> = t.Parameters ?? {};
  const resources: Record<string, Json> = t.Resources ?? {};
  const conditions: Record<string, Json> = t.Conditions ?? {};
  const specs = new Map<string, Resource>();
  const fail = (path: string, message: string) => errors.push(`${path}: ${message}`);

  for (const [name, p] of Object.entries(params)) {
    const at = `Parameters.${name}`;
    if (!PARAMETER_TYPES.test(p.Type)) fail(at, `unknown parameter type ${p.Type}`);
    if (p.Default !== undefined && p.AllowedValues && !p.AllowedValues.map(String).includes(String(p.Default))) fail(at, `Default ${p.Default} is not one of its AllowedValues`);
    if (p.Type === 'Number' && p.Default !== undefined) {
      if (p.MinValue !== undefined && Number(p.Default) < p.MinValue) fail(at, `Default ${p.Default} is below MinValue ${p.MinValue}`);
      if (p.MaxValue !== undefined && Number(p.Default) > p.MaxValue) fail(at, `Default ${p.Default} is above MaxValue ${p.MaxValue}`);
    }
  }

  for (const [name, r] of Object.entries(resources)) {
    const s = resourceSpec(spec, r.Type);
    if (!s) fail(`Resources.${name}`, `unknown resource type ${r.Type}`);
    else specs.set(name, s);
    if (r.Condition !== undefined && !(r.Condition in conditions)) fail(`Resources.${name}.Condition`, `unknown condition ${r.Condition}`);
    for (const dep of [r.DependsOn ?? []].flat()) if (!(dep in resources)) fail(`Resources.${name}.DependsOn`, `unknown resource ${dep}`);
  }

  /** Checks intrinsic-function references anywhere (conditions, outputs, values). */
  function checkRefs(v: Json, path: string): void {
    if (Array.isArray(v)) return v.forEach((x, i) => checkRefs(x, `${path}[${i}]`));
    if (!v || typeof v !== 'object') return;
    if (typeof v.Ref === 'string' && !PSEUDO.has(v.Ref) && !(v.Ref in params) && !(v.Ref in resources)) fail(path, `Ref to unknown ${v.Ref}`);
    if (v['Fn::GetAtt'] !== undefined) {
      const [res, ...attrParts] = Array.isArray(v['Fn::GetAtt']) ? v['Fn::GetAtt'] : String(v['Fn::GetAtt']).split('.');
      checkAttribute(res, attrParts.join('.'), path);
    }
    if (v['Fn::Sub'] !== undefined) {
      const [text, vars] = Array.isArray(v['Fn::Sub']) ? v['Fn::Sub'] : [v['Fn::Sub'], {}];
      for (const [, expr] of String(text).matchAll(/\$\{([^}!][^}]*)\}/g)) {
        if (expr! in (vars ?? {})) continue;
        const [base, ...rest] = expr!.split('.');
        if (rest.length) checkAttribute(base!, rest.join('.'), path);
        else if (!PSEUDO.has(expr!) && !(expr! in params) && !(expr! in resources)) fail(path, `Sub variable \${${expr}} is unknown`);
      }
      checkDoubleWildcard(String(text), path);
    }
    if (v['Fn::If'] !== undefined && !(v['Fn::If'][0] in conditions)) fail(path, `Fn::If on unknown condition ${v['Fn::If'][0]}`);
    if (typeof v.Condition === 'string' && Object.keys(v).length === 1 && !(v.Condition in conditions)) fail(path, `unknown condition ${v.Condition}`);
    for (const [k, x] of Object.entries(v)) checkRefs(x, `${path}.${k}`);
  }

  function checkAttribute(res: string, attr: string, path: string): void {
    const s = specs.get(res);
    if (!(res in resources)) return void fail(path, `GetAtt on unknown resource ${res}`);
    if (s && !(attr in s.attributes)) fail(path, `${resources[res].Type} has no attribute ${attr} (it has ${Object.keys(s.attributes).join(', ') || 'none'})`);
  }

  /** `${X.Arn}:*` where the spec documents X's Arn as already ending in `:*` (log groups). */
  function checkDoubleWildcard(text: string, path: string): void {
    for (const [, res, attr] of text.matchAll(/\$\{([A-Za-z0-9]+)\.([A-Za-z0-9.]+)\}:\*/g)) {
      const doc = specs.get(res!)?.attributes[attr!]?.documentation ?? '';
      if (/:\*`/.test(doc)) fail(path, `${res}.${attr} already ends in ":*" (${resources[res!].Type}); appending ":*" makes a pattern that matches nothing`);
    }
  }

  /** A property value against its spec type. */
  function checkValue(v: Json, type: PropertyType, prop: Property | undefined, path: string): void {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) return checkIntrinsic(v, type, prop, path);
    }
    switch (type.type) {
      case 'string':
        if (typeof v !== 'string' && typeof v !== 'number') return void fail(path, `expected a string, got ${JSON.stringify(v)?.slice(0, 60)}`);
        if (type.allowedValues && !type.allowedValues.includes(String(v))) fail(path, `${JSON.stringify(v)} is not one of ${type.allowedValues.join(', ')}`);
        return;
      case 'number':
      case 'integer':
        if (typeof v !== 'number' && !(typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)))) fail(path, `expected a number, got ${JSON.stringify(v)}`);
        else if (type.type === 'integer' && type.allowedValues && !type.allowedValues.includes(Number(v))) fail(path, `${v} is not one of ${type.allowedValues.join(', ')}`);
        return;
      case 'boolean':
        if (typeof v !== 'boolean' && v !== 'true' && v !== 'false') fail(path, `expected a boolean, got ${JSON.stringify(v)}`);
        return;
      case 'json':
        if (typeof v !== 'object' && typeof v !== 'string') fail(path, `expected JSON, got ${JSON.stringify(v)}`);
        return;
      case 'date-time':
        if (typeof v !== 'string') fail(path, 'expected a date-time string');
        return;
      case 'null':
        return;
      case 'tag':
        if (!v || typeof v !== 'object' || !('Key' in v) || !('Value' in v)) fail(path, 'expected a tag {Key, Value}');
        return;
      case 'array':
        if (!Array.isArray(v)) return void fail(path, `expected a list, got ${JSON.stringify(v)?.slice(0, 60)}`);
        return v.forEach((x, i) => checkValue(x, type.element, undefined, `${path}[${i}]`));
      case 'map':
        if (!v || typeof v !== 'object' || Array.isArray(v)) return void fail(path, 'expected a map');
        return Object.entries(v).forEach(([k, x]) => checkValue(x, type.element, undefined, `${path}.${k}`));
      case 'union': {
        // Valid if one of the alternatives accepts it.
        const outcomes = type.types.map((alt) => {
          const before = errors.length;
          checkValue(v, alt, prop, path);
          return errors.splice(before);
        });
        if (outcomes.every((o) => o.length > 0)) errors.push(...outcomes.sort((a, b) => a.length - b.length)[0]!);
        return;
      }
      case 'ref': {
        const def = spec.get('typeDefinition', type.reference);
        if (!v || typeof v !== 'object' || Array.isArray(v)) return void fail(path, `expected ${def.name} (an object)`);
        checkProperties(v, def.properties, path);
        return;
      }
    }
  }

  function checkIntrinsic(v: Json, type: PropertyType, prop: Property | undefined, path: string): void {
    if (v['Fn::If']) {
      const [, yes, no] = v['Fn::If'];
      for (const branch of [yes, no]) if (!(branch && typeof branch === 'object' && branch.Ref === 'AWS::NoValue')) checkValue(branch, type, prop, path);
      return;
    }
    if (typeof v.Ref === 'string') {
      const param = params[v.Ref];
      const allowed = type.type === 'string' || type.type === 'integer' ? type.allowedValues?.map(String) : undefined;
      if (param && allowed) {
        if (!param.AllowedValues) fail(path, `parameter ${v.Ref} allows any value; the property takes only ${allowed.join(', ')}`);
        else for (const a of param.AllowedValues) if (!allowed.includes(String(a))) fail(path, `parameter ${v.Ref} allows ${a}, which is not one of ${allowed.join(', ')}`);
      }
      if (param && (type.type === 'array') !== /^(List<|CommaDelimitedList)/.test(param.Type)) fail(path, `parameter ${v.Ref} (${param.Type}) does not fit a ${type.type}`);
      if (v.Ref in resources) checkRelationship(v.Ref, undefined, prop, path);
      return;
    }
    if (v['Fn::GetAtt']) {
      const [res, ...attr] = v['Fn::GetAtt'];
      checkRelationship(res, attr.join('.'), prop, path);
    }
  }

  /** A Ref or GetAtt into a property that names the identifiers it takes from each resource type. */
  function checkRelationship(res: string, attr: string | undefined, prop: Property | undefined, path: string): void {
    const rels = prop?.relationshipRefs?.filter((r) => r.cloudFormationType === resources[res]?.Type);
    if (!rels?.length) return;
    const s = specs.get(res);
    const gives = attr ? [attr] : (s?.cfnRefIdentifier ?? s?.primaryIdentifier ?? []);
    if (!rels.some((r) => gives.includes(r.propertyName))) {
      fail(path, `expects ${rels.map((r) => r.propertyName).join(' or ')} of ${resources[res].Type}, but ${attr ? `GetAtt ${res}.${attr}` : `Ref ${res}`} gives ${gives.join(', ') || 'its ID'}`);
    }
  }

  function checkProperties(values: Json, props: Record<string, Property>, path: string): void {
    for (const [k, x] of Object.entries(values)) {
      const p = props[k];
      if (!p) fail(`${path}.${k}`, `unknown property (known: ${Object.keys(props).join(', ')})`);
      else checkValue(x, p.type, p, `${path}.${k}`);
    }
    for (const [k, p] of Object.entries(props)) if (p.required && !(k in values)) fail(`${path}.${k}`, 'required property missing');
  }

  for (const [name, r] of Object.entries(resources)) {
    const s = specs.get(name);
    if (s) checkProperties(r.Properties ?? {}, s.properties, `Resources.${name}.Properties`);
    checkRefs(r.Properties ?? {}, `Resources.${name}.Properties`);
  }
  checkRefs(conditions, 'Conditions');
  for (const [name, o] of Object.entries(t.Outputs ?? {}) as [string, Json][]) {
    if (o.Condition !== undefined && !(o.Condition in conditions)) fail(`Outputs.${name}.Condition`, `unknown condition ${o.Condition}`);
    checkRefs(o.Value, `Outputs.${name}.Value`);
  }
  return errors;
}
