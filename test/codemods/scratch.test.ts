import { it } from 'vitest';
import { rewriteJsFile } from '../../codemods/js/run.js';
import { rewritePythonSource } from '../../codemods/python/rewrite.js';
import { defaultRewriteOptions } from '../../codemods/types.js';
it('bom', () => {
  const o = defaultRewriteOptions();
  console.log(JSON.stringify(rewriteJsFile('a.ts', "\uFEFFimport OpenAI from 'openai';\nconst c = new OpenAI({ a: 1 });\n", o).output));
  try { console.log(JSON.stringify(rewritePythonSource("\uFEFFfrom openai import OpenAI\nc = OpenAI(a=1)\n", o).output)); } catch (e) { console.log('py err', (e as Error).message); }
  console.log(JSON.stringify(rewriteJsFile('a.ts', "import OpenAI from 'openai';\r\nconst c = new OpenAI({\r\n  a: 1\r\n});\r\n", o).output));
  console.log(JSON.stringify(rewritePythonSource("from openai import OpenAI\r\nc = OpenAI(\r\n    a=1\r\n)\r\n", o).output));
});
