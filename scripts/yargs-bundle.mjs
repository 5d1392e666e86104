// esbuild plugins for bundling the CLI entry (cli/main.ts) with yargs.
import { dirname, join, relative } from 'node:path';
import { readFile } from 'node:fs/promises';

/**
 * What a command's handler imports when it runs (the proxy, the harness, the codemods,
 * their packages) stays outside the bundle, as an import of its transpiled file in dist/:
 * the CLI entry loads yargs and the option tables, nothing more.
 */
export function cliImportsAsIs(root) {
  return {
    name: 'cli-imports-as-is',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
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
 * A module whose only export is `export default function <name>(…)`, rewritten so that its
 * body (everything but its imports) runs on the first call of that function.
 */
function lazyModuleBody(source, file, name) {
  const lines = source.split('\n');
  const imports = [];
  let i = 0;
  for (; i < lines.length && (/^import\s/.test(lines[i]) || lines[i].trim() === ''); i++) imports.push(lines[i]);
  let body = lines.slice(i).join('\n');
  if (/^import\s/m.test(body) || (body.match(/^export\s/gm) ?? []).length !== 1) throw new Error(`yargs-bundle: ${file} is not shaped as expected (imports, then one default export); review the plugin`);
  body = edit(body, file, `export default function ${name}(`, `function ${name}(`);
  return `${imports.join('\n')}\nlet loaded;\nexport default function ${name}(...args) {\n  return (loaded ??= (() => {\n${body}\nreturn ${name};\n})())(...args);\n}\n`;
}

/**
 * Two source edits that keep the bundled yargs behaving exactly like the installed one:
 *  - yargs's ESM platform shim locates its locale files (and the package.json `--version`
 *    reads) from its own file's URL; in a bundle that URL is dist/cli/main.js, so the shim is
 *    given the URL of the installed yargs file instead (resolved, not guessed).
 *  - string-width (three copies: yargs's, cliui's, wrap-ansi's) builds an `Intl.Segmenter`
 *    and its Unicode-property regular expressions when it is loaded: ~45 ms (ICU data, and
 *    `/^\p{RGI_Emoji}$/v` alone takes ~25 ms). It only measures text for help and error
 *    output, so each copy runs its module body on the first call instead: the same code,
 *    the same objects, built later.
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
      contents: lazyModuleBody(await readFile(args.path, 'utf8'), args.path, 'stringWidth'),
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};
