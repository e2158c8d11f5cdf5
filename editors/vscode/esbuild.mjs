// Builds the extension into dist/extension.js (one CommonJS file, `vscode` left external), or,
// with --tests, each test/*.test.ts into out/test/ for node's test runner.
//   node esbuild.mjs [--production] [--watch] [--tests]
// The tests bundle `vscode` as test/support/fake-vscode.ts.
import { readdirSync, rmSync } from 'node:fs';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
};

const options = tests
  ? {
      ...common,
      entryPoints: readdirSync('test')
        .filter((name) => name.endsWith('.test.ts'))
        .map((name) => `test/${name}`),
      outdir: 'out/test',
      sourcemap: 'inline',
      // VS Code cannot run here: the tests get a small stand-in for the `vscode` module.
      alias: { vscode: './test/support/fake-vscode.ts' },
    }
  : {
      ...common,
      entryPoints: ['src/extension.ts'],
      outfile: 'dist/extension.js',
      external: ['vscode'],
      minify: production,
      sourcemap: !production,
      sourcesContent: false,
    };

rmSync(tests ? 'out' : 'dist', { recursive: true, force: true });
if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
}
