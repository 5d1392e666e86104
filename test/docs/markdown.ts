/**
 * Just enough Markdown for the docs tests: fenced code blocks (with their info strings),
 * headings and their GitHub anchors, relative links, and shell command lines.
 */

export interface CodeBlock {
  /** The info string after the opening fence, e.g. `bash step:scan`. */
  info: string;
  lang: string;
  text: string;
  /** 1-based line of the opening fence. */
  line: number;
}

const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;

export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const info = open[3]!.trim();
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = FENCE.exec(lines[j]!);
      if (close && close[2]!.startsWith(fence[0]!) && close[2]!.length >= fence.length && close[3]!.trim() === '') break;
      body.push(lines[j]!);
    }
    blocks.push({ info, lang: info.split(/\s+/)[0] ?? '', text: body.join('\n'), line: i + 1 });
    i = j;
  }
  return blocks;
}

/** The page without its fenced code blocks and (unless kept) inline code spans, where links are not links. */
export function prose(markdown: string, keepInlineCode = false): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of lines) {
    const m = FENCE.exec(line);
    if (m) {
      if (!fence) fence = m[2]!;
      else if (m[2]!.startsWith(fence[0]!) && m[3]!.trim() === '') fence = undefined;
      out.push('');
      continue;
    }
    out.push(fence ? '' : keepInlineCode ? line : line.replace(/`+[^`]*`+/g, '``'));
  }
  return out.join('\n');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, duplicates numbered. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of prose(markdown, true).split('\n')) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const text = m[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, '');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

export interface Link {
  target: string;
  line: number;
}

export function links(markdown: string): Link[] {
  const out: Link[] = [];
  prose(markdown)
    .split('\n')
    .forEach((line, i) => {
      for (const m of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) out.push({ target: m[1]!, line: i + 1 });
    });
  return out;
}

/**
 * Splits a shell command line into words the way the shell would for simple commands: quotes
 * removed, `\`-newlines joined. Stops at the first operator (`|`, `&&`, `;`, `>`…) or comment.
 */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  const s = command.replace(/\\\n/g, ' ');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < s.length) word += s[++i];
      else word += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
      continue;
    }
    if (c === '\\' && i + 1 < s.length) {
      word += s[++i];
      inWord = true;
      continue;
    }
    if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    if ('|&;<>\n'.includes(c) || (c === '#' && !inWord)) break;
    word += c;
    inWord = true;
  }
  if (inWord) words.push(word);
  return words;
}

export interface CommandLine {
  /** Words after `nova-migrate`. */
  argv: string[];
  /** The source text, for messages. */
  text: string;
  line: number;
}

/** Every `nova-migrate <command> …` invocation in the page's shell and YAML code blocks. */
export function novaMigrateCommands(markdown: string): CommandLine[] {
  const out: CommandLine[] = [];
  for (const block of codeBlocks(markdown)) {
    if (!['bash', 'sh', 'shell', 'console', 'yaml', 'yml'].includes(block.lang)) continue;
    const lines = block.text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      let text = lines[i]!;
      const start = i;
      if (/^\s*#/.test(text)) continue;
      while (text.endsWith('\\') && i + 1 < lines.length) text += `\n${lines[++i]!}`;
      const m = /(?:^|[\s:(])(?:npx\s+)?nova-migrate\s+(?=[a-z])/.exec(text);
      if (!m) continue;
      const rest = text.slice(m.index + m[0].length);
      out.push({ argv: shellWords(rest), text: text.trim(), line: block.line + 1 + start });
    }
  }
  return out;
}
