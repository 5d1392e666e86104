/**
 * CloudFormation YAML with its short-form intrinsic tags (!Ref, !Sub, !GetAtt, !If…),
 * parsed into the long JSON form ({"Ref": …}, {"Fn::Sub": …}). cfn-lint and the SAM CLI
 * can't run here, so the template's structure is checked on this tree.
 */
import { parse, YAMLMap, YAMLSeq, type ScalarTag, type CollectionTag } from 'yaml';

const FN = ['Sub', 'GetAtt', 'If', 'Equals', 'Not', 'And', 'Or', 'Join', 'Select', 'Split', 'FindInMap', 'Base64', 'Cidr', 'ImportValue', 'GetAZs'];

function fnName(name: string) {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

const tags: (ScalarTag | CollectionTag)[] = [];
for (const name of ['Ref', 'Condition', ...FN]) {
  const key = fnName(name);
  tags.push({
    tag: `!${name}`,
    resolve: (value: string) => ({ [key]: name === 'GetAtt' ? value.split('.') : value }),
  } as ScalarTag);
  tags.push({ tag: `!${name}`, collection: 'seq', nodeClass: YAMLSeq, resolve: (seq: YAMLSeq) => ({ [key]: seq.toJSON() }) } as unknown as CollectionTag);
  tags.push({ tag: `!${name}`, collection: 'map', nodeClass: YAMLMap, resolve: (map: YAMLMap) => ({ [key]: map.toJSON() }) } as unknown as CollectionTag);
}

export function parseCfn(text: string): any {
  return parse(text, { customTags: tags });
}
