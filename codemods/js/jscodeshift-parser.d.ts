// The two jscodeshift modules codemods/js/babel.ts builds its parsers from (no published types).
declare module 'jscodeshift/parser/babylon.js' {
  const babylon: (options: { plugins: unknown[]; [k: string]: unknown }) => { parse(code: string): unknown };
  export default babylon;
}
declare module 'jscodeshift/parser/tsOptions.js' {
  const tsOptions: { plugins: unknown[]; [k: string]: unknown };
  export default tsOptions;
}
