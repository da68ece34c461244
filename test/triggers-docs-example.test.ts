/** The example in docs/triggers.md runs (see test/support/docs-example.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runDocsExample } from './support/docs-example';

test('the docs/triggers.md example synthesizes a TriggerTemplate holding the run, a binding, a Trigger and an EventListener', () => {
  runDocsExample('triggers.md', (dist) => {
    const docs = parseAllDocuments(fs.readFileSync(path.join(dist, 'on-push.yaml'), 'utf8')).map((d) => d.toJS());
    const template = docs.find((d) => d.kind === 'TriggerTemplate');
    const source = template.spec.resourcetemplates[0].spec.params.find((p: { name: string }) => p.name === 'model-source');
    expect(source.value).toMatchObject({ url: '$(tt.params.url)', revision: '$(tt.params.revision)' });
    expect(docs.filter((d) => d.kind === 'PipelineRun')).toEqual([]);
    expect(docs.find((d) => d.kind === 'EventListener').spec.triggers).toEqual([{ triggerRef: 'train-on-push' }]);
  });
});
