/**
 * The example in docs/triggers.md runs: it is taken from the document, transpiled, and run against
 * the project's sources with the output directory in a temporary folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');

/** The first ```ts block of docs/triggers.md. */
function snippet(): string {
  const markdown = fs.readFileSync(path.join(ROOT, 'docs', 'triggers.md'), 'utf8');
  return /```ts\n([\s\S]*?)```/.exec(markdown)![1];
}

test('the docs/triggers.md example synthesizes a TriggerTemplate holding the run, a binding, a Trigger and an EventListener', () => {
  const code = ts.transpileModule(snippet(), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'triggers-example-'));
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
    const docs = parseAllDocuments(fs.readFileSync(path.join(tmp, 'dist', 'on-push.yaml'), 'utf8')).map((d) => d.toJS());
    const template = docs.find((d) => d.kind === 'TriggerTemplate');
    const source = template.spec.resourcetemplates[0].spec.params.find((p: { name: string }) => p.name === 'model-source');
    expect(source.value).toMatchObject({ url: '$(tt.params.url)', revision: '$(tt.params.revision)' });
    expect(docs.filter((d) => d.kind === 'PipelineRun')).toEqual([]);
    expect(docs.find((d) => d.kind === 'EventListener').spec.triggers).toEqual([{ triggerRef: 'train-on-push' }]);
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    if (saved === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = saved;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
