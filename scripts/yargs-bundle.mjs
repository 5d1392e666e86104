// esbuild plugins for bundling the CLI entry (cli/main.ts) with yargs.
import { dirname, join, relative } from 'node:path';
import { readFile } from 'node:fs/promises';

/**
 * What a command's handler imports when it runs (the proxy, the harness, the codemods,
 * their packages) stays outside the bundle, as an import of its transpiled file in dist/:
 * the CLI entry loads yargs and the option tables, nothing more. `bundled` names the CLI's
 * own modules imported on demand that belong in the bundle, as chunks (yargs itself, which
 * `serve`'s fast path does without).
 */
export function cliImportsAsIs(root, bundled = []) {
  return {
    name: 'cli-imports-as-is',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind !== 'dynamic-import' || bundled.includes(args.path)) return undefined;
        if (!args.path.startsWith('.')) return { path: args.path, external: true };
        // From the source file's place in the tree to the same file's place in dist/, as seen from dist/cli/main.js.
        const target = join(args.resolveDir, args.path).slice(root.length + 1);
        const rel = relative(join(root, 'cli'), join(root, target)).replace(/\\/g, '/');
        return { path: rel.startsWith('.') ? rel : `./${rel}`, external: true };
      });
    },
  };
}

/** Replaces `from` by `to` in a dependency's source, failing the build when `from` is not there (an upgrade changed it). */
function edit(source, file, from, to) {
  if (!source.includes(from)) throw new Error(`yargs-bundle: ${file} no longer contains ${JSON.stringify(from)}; review the plugin`);
  return source.split(from).join(to);
}

/**
 * string-width's module, rewritten so that its body (everything but its imports) runs on
 * the first call that needs it. Printable ASCII (U+0020–U+007E, no escape sequences) is one
 * column per character in every copy and for every option — string-width 8 takes the same
 * shortcut itself, after its set-up — so such strings are answered before the set-up.
 */
function lazyStringWidth(source, file) {
  const lines = source.split('\n');
  const imports = [];
  let i = 0;
  for (; i < lines.length && (/^import\s/.test(lines[i]) || lines[i].trim() === ''); i++) imports.push(lines[i]);
  let body = lines.slice(i).join('\n');
  if (/^import\s/m.test(body) || (body.match(/^export\s/gm) ?? []).length !== 1) throw new Error(`yargs-bundle: ${file} is not shaped as expected (imports, then one default export); review the plugin`);
  body = edit(body, file, 'export default function stringWidth(', 'function stringWidth(');
  return `${imports.join('\n')}
let loaded;
export default function stringWidth(input, options) {
  if (typeof input === 'string' && /^[\\u0020-\\u007E]*$/.test(input)) return input.length;
  return (loaded ??= (() => {
${body}
return stringWidth;
})())(input, options);
}
`;
}

/**
 * Two source edits that keep the bundled yargs behaving exactly like the installed one:
 *  - yargs's ESM platform shim locates its locale files (and the package.json `--version`
 *    reads) from its own file's URL; in a bundle that URL is dist/cli/main.js, so the shim is
 *    given the URL of the installed yargs file instead (resolved, not guessed).
 *  - string-width (three copies: yargs's, cliui's, wrap-ansi's) builds an `Intl.Segmenter`
 *    and Unicode-property regular expressions when it is loaded: ~45 ms (ICU data;
 *    `/^\p{RGI_Emoji}$/v` alone takes ~25 ms). yargs measures text on every command run (it
 *    renders the command's help in advance, in case the handler fails), and that text is
 *    ASCII unless a locale or an option's description brings other characters: those are
 *    built on the first call that needs them (lazyStringWidth).
 */
export const yargsBundleFixes = {
  name: 'yargs-bundle-fixes',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, async (args) => {
      let source = await readFile(args.path, 'utf8');
      source = edit(
        source,
        args.path,
        'const __dirname = fileURLToPath(import.meta.url);',
        "const __dirname = fileURLToPath(new URL('./lib/platform-shims/esm.mjs', import.meta.resolve('yargs')));",
      );
      return { contents: source, loader: 'js', resolveDir: dirname(args.path) };
    });
    b.onLoad({ filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/ }, async (args) => ({
      contents: lazyStringWidth(await readFile(args.path, 'utf8'), args.path),
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};
