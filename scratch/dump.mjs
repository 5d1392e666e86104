import fs from 'node:fs'; import path from 'node:path'; import YAML from 'yaml';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
const codec = new EventStreamCodec(toUtf8, fromUtf8);
function frames(buf){const out=[];let o=0;while(o<buf.length){const len=buf.readUInt32BE(o);const m=codec.decode(buf.subarray(o,o+len));out.push({h:Object.fromEntries(Object.entries(m.headers).map(([k,v])=>[k,v.value])),b:toUtf8(m.body)});o+=len}return out}
const root='/work/shared/recorded/bedrock';
const files=[]; (function walk(d){for(const e of fs.readdirSync(d,{withFileTypes:true})){const p=path.join(d,e.name); e.isDirectory()?walk(p):files.push(p)}})(root);
const only=process.argv[2];
for(const f of files.sort()){
  const rel=path.relative(root,f);
  if(only && !rel.includes(only)) continue;
  console.log('=====', rel);
  if(f.endsWith('.yaml')){
    const doc=YAML.parse(fs.readFileSync(f,'utf8'),{customTags:['binary']});
    for(const it of doc.interactions){
      console.log('--> ', it.request.uri, it.request.body);
      const r=it.response; console.log('<-- ', r.status.code, JSON.stringify(r.headers));
      if(r.parsed_body) console.log(JSON.stringify(r.parsed_body));
      else if(r.body?.string instanceof Uint8Array){ for(const fr of frames(Buffer.from(r.body.string))) console.log('  ', JSON.stringify(fr.h), fr.b) }
      else console.log(r.body);
    }
  } else if(rel.startsWith('Arize')){
    for(const it of JSON.parse(fs.readFileSync(f,'utf8'))){
      console.log('--> ', it.path, JSON.stringify(it.body)); console.log('<-- ', it.status, JSON.stringify(it.rawHeaders));
      if(typeof it.response==='string' && /^[0-9a-f]+$/.test(it.response)) for(const fr of frames(Buffer.from(it.response,'hex'))) console.log('  ', JSON.stringify(fr.h), fr.b);
      else console.log(JSON.stringify(it.response));
    }
  } else console.log(fs.readFileSync(f,'utf8'));
}
