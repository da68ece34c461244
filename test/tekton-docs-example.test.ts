/** The example in docs/constructs.md runs (see test/support/docs-example.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runDocsExample } from './support/docs-example';

test('the docs/constructs.md example synthesizes a Task, a Pipeline and a run', () => {
  runDocsExample('constructs.md', (dist) => {
    const installed = fs.readFileSync(path.join(dist, 'hello.yaml'), 'utf8');
    expect(installed).toContain('kind: Task');
    expect(installed).toContain('kind: Pipeline');
    expect(installed).toContain('script: |-\n        git clone $(params.source.url) .');
    const run = fs.readFileSync(path.join(dist, 'runs', 'run.yaml'), 'utf8');
    expect(run).toContain('generateName: hello-');
  });
});
