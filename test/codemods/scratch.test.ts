import { it } from 'vitest';
import { rewriteJsFile } from '../../codemods/js/run.js';
import { rewritePythonSource } from '../../codemods/python/rewrite.js';
import { defaultRewriteOptions } from '../../codemods/types.js';
it('crlf', () => {
  const o = defaultRewriteOptions();
  console.log(JSON.stringify(rewriteJsFile('a.ts', "import OpenAI from 'openai';\r\nconst c = new OpenAI({\r\n  a: 1\r\n});\r\n", o).output));
  console.log(JSON.stringify(rewriteJsFile('a.ts', "import OpenAI from 'openai';\r\nconst c = new OpenAI({\n  a: 1\r\n});\r\n", o)));
  console.log(JSON.stringify(rewritePythonSource("from openai import OpenAI\r\nc = OpenAI(\r\n    a=1\r\n)\r\n", o).output));
});
