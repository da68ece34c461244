/**
 * Runs the first ```ts block of a document in docs/ against the project's sources, the way a reader
 * would run it: transpiled, with `slsa-for-models` resolved to `src/`, and its cdk8s output in a
 * temporary folder. The example must write nothing to stderr and end with exit code 0; `inspect`
 * then reads what it synthesized. The folder is removed afterwards.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

export function runDocsExample(document: string, inspect: (dist: string) => void): void {
  const markdown = fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', document), 'utf8');
  const snippet = /```ts\n([\s\S]*?)```/.exec(markdown)![1];
  const code = ts.transpileModule(snippet, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-example-'));
  const saved = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = path.join(tmp, 'dist');
  const fakeProcess = { exitCode: undefined as number | undefined };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const load = (id: string) => (id === 'slsa-for-models' ? require('../../src') : require(id));
    new Function('require', 'exports', 'module', 'process', code)(load, {}, { exports: {} }, fakeProcess);
    expect(stderr).not.toHaveBeenCalled();
    expect(fakeProcess.exitCode).toBe(0);
    inspect(path.join(tmp, 'dist'));
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    if (saved === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = saved;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
