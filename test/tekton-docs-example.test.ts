/**
 * The example in docs/constructs.md runs: it is taken from the document, transpiled, and run
 * against the project's sources with the output directory in a temporary folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

test('the docs/constructs.md example synthesizes a Task, a Pipeline and a run', () => {
  const markdown = fs.readFileSync(path.resolve(__dirname, '..', 'docs', 'constructs.md'), 'utf8');
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
    const load = (id: string) => (id === 'slsa-for-models' ? require('../src') : require(id));
    new Function('require', 'exports', 'module', 'process', code)(load, {}, { exports: {} }, fakeProcess);
    expect(stderr).not.toHaveBeenCalled();
    expect(fakeProcess.exitCode).toBe(0);
    const installed = fs.readFileSync(path.join(tmp, 'dist', 'hello.yaml'), 'utf8');
    expect(installed).toContain('kind: Task');
    expect(installed).toContain('kind: Pipeline');
    expect(installed).toContain('script: |-\n        git clone $(params.source.url) .');
    const run = fs.readFileSync(path.join(tmp, 'dist', 'runs', 'run.yaml'), 'utf8');
    expect(run).toContain('generateName: hello-');
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    if (saved === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = saved;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
