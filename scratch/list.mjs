import fs from 'node:fs'; import path from 'node:path'; import YAML from 'yaml';
const root='/work/shared/recorded/bedrock';
const files=[]; (function walk(d){for(const e of fs.readdirSync(d,{withFileTypes:true})){const p=path.join(d,e.name); e.isDirectory()?walk(p):files.push(p)}})(root);
let n=0;
for(const f of files.sort()){
  const rel=path.relative(root,f);
  if(f.endsWith('.yaml')){
    const doc=YAML.parse(fs.readFileSync(f,'utf8'),{customTags:['binary']});
    for(const it of doc.interactions){n++;console.log(n, rel.split('/').pop(), it.request.uri.replace('https://bedrock-runtime.us-east-1.amazonaws.com',''), it.response.status.code)}
  } else if(rel.startsWith('Arize')){
    for(const it of JSON.parse(fs.readFileSync(f,'utf8'))){n++;console.log(n, rel.split('/').pop(), it.path, it.status)}
  } else console.log('-', rel.split('/').pop());
}
