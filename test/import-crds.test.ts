import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TEKTON_FIELDS_JSON } from '../imports/tekton-fields';

const ROOT = path.resolve(__dirname, '..');
const CRDS = path.resolve(ROOT, '..', 'shared', 'tekton', 'pipeline-crds');
const KSERVE_CRDS = path.resolve(ROOT, '..', 'shared', 'kserve', 'crds');
const haveCrds = fs.existsSync(CRDS) && fs.existsSync(KSERVE_CRDS);
if (!haveCrds) console.log(`skipping import tests: ${CRDS} or ${KSERVE_CRDS} is absent (they come with the team's shared folder)`);

describe('npm run import', () => {
  (haveCrds ? test : test.skip)(
    'regenerates imports/tekton.dev.ts, imports/tekton-fields.ts and imports/serving.kserve.io.ts byte for byte from the Tekton v1.15.0 and KServe v0.20.0 CRDs',
    () => {
      // GIVEN an empty output directory
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'import-'));
      try {
        // WHEN the import runs from the CRD directory named by the environment
        const result = spawnSync(process.execPath, [path.join(ROOT, 'tools', 'import-crds.js'), '--output', out], {
          env: { ...process.env, TEKTON_PIPELINE_CRDS_DIR: CRDS, KSERVE_CRDS_DIR: KSERVE_CRDS },
          encoding: 'utf8',
        });
        expect(result.stderr).toContain(`reading CRDs from ${CRDS}`);
        expect(result.stderr).toContain(`reading KServe CRDs from ${KSERVE_CRDS}`);
        expect(result.status).toBe(0);
        // THEN the committed file is exactly what the generator writes: nobody edited it by hand
        const generated = fs.readFileSync(path.join(out, 'tekton.dev.ts'), 'utf8');
        expect(generated).toEqual(fs.readFileSync(path.join(ROOT, 'imports', 'tekton.dev.ts'), 'utf8'));
        const fields = fs.readFileSync(path.join(out, 'tekton-fields.ts'), 'utf8');
        expect(fields).toEqual(fs.readFileSync(path.join(ROOT, 'imports', 'tekton-fields.ts'), 'utf8'));
        const kserve = fs.readFileSync(path.join(out, 'serving.kserve.io.ts'), 'utf8');
        expect(kserve === fs.readFileSync(path.join(ROOT, 'imports', 'serving.kserve.io.ts'), 'utf8')).toBe(true);
        expect(fs.readdirSync(out).sort()).toEqual(['serving.kserve.io.ts', 'tekton-fields.ts', 'tekton.dev.ts']);
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    },
  );

  test('the unsuffixed classes are the tekton.dev/v1 API', () => {
    const source = fs.readFileSync(path.join(ROOT, 'imports', 'tekton.dev.ts'), 'utf8');
    for (const kind of ['Task', 'Pipeline', 'PipelineRun', 'TaskRun']) {
      expect(source).toMatch(
        new RegExp(`export class ${kind} extends ApiObject \\{[^]*?apiVersion: 'tekton.dev/v1',\\n    kind: '${kind}'`),
      );
    }
    expect(source).not.toContain("tekton.dev/v1beta1',\n    kind: 'Task'");
    expect(source).not.toMatch(/export class TaskV1\b/);
  });

  test('the KServe classes are InferenceService v1beta1 and ClusterStorageContainer v1alpha1, nothing else', () => {
    const source = fs.readFileSync(path.join(ROOT, 'imports', 'serving.kserve.io.ts'), 'utf8');
    expect([...source.matchAll(/^export class (\w+) extends ApiObject \{/gm)].map((m) => m[1])).toEqual([
      'ClusterStorageContainer',
      'InferenceService',
    ]);
    expect(source).toContain("apiVersion: 'serving.kserve.io/v1beta1',\n    kind: 'InferenceService'");
    expect(source).toContain("apiVersion: 'serving.kserve.io/v1alpha1',\n    kind: 'ClusterStorageContainer'");
  });

  test('fails with one line when the KServe CRD directory does not exist', () => {
    const result = spawnSync(
      process.execPath,
      [path.join(ROOT, 'tools', 'import-crds.js'), '--output', fs.mkdtempSync(path.join(os.tmpdir(), 'import-'))],
      {
        env: { ...process.env, TEKTON_PIPELINE_CRDS_DIR: CRDS, KSERVE_CRDS_DIR: '/nonexistent/kserve' },
        encoding: 'utf8',
      },
    );
    if (!haveCrds) return;
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n').pop()).toBe('import: KSERVE_CRDS_DIR=/nonexistent/kserve does not exist');
  });

  test('the field tree describes the five kinds in their served versions, with preserved subtrees marked and shared ones referenced', () => {
    const tree = JSON.parse(TEKTON_FIELDS_JSON);
    expect(Object.fromEntries(Object.entries(tree.kinds).map(([kind, k]) => [kind, (k as { apiVersion: string }).apiVersion]))).toEqual({
      Pipeline: 'tekton.dev/v1',
      PipelineRun: 'tekton.dev/v1',
      StepAction: 'tekton.dev/v1beta1',
      Task: 'tekton.dev/v1',
      TaskRun: 'tekton.dev/v1',
    });
    const resolve = (node: { r?: string }): { p: Record<string, unknown> } =>
      (node.r ? tree.defs[node.r] : node) as { p: Record<string, unknown> };
    const taskRun = tree.kinds.TaskRun.spec.p;
    // the pod template is shared with PipelineRun by reference, and its affinity is kept whole
    expect(taskRun.podTemplate).toEqual({ r: expect.stringMatching(/^d\d+$/) });
    expect(resolve(taskRun.podTemplate).p.affinity).toEqual({ x: 1 });
    expect(tree.kinds.PipelineRun.spec.p.taskRunSpecs.i.p.podTemplate).toEqual(taskRun.podTemplate);
    expect(taskRun.taskSpec).toEqual({ x: 1 });
    expect(resolve(tree.kinds.Task.spec.p.steps.i).p.runAfter).toBeUndefined();
    expect(resolve(tree.kinds.Pipeline.spec.p.tasks.i).p.runAfter).toEqual({ i: 1 });
    expect(Object.keys(tree.kinds.Task.spec.p)).toEqual([...Object.keys(tree.kinds.Task.spec.p)].sort());
  });

  test('fails with one line when the CRD directory does not exist', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'tools', 'import-crds.js'), '--output', os.tmpdir()], {
      env: { ...process.env, TEKTON_PIPELINE_CRDS_DIR: '/nonexistent/crds' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('import: TEKTON_PIPELINE_CRDS_DIR=/nonexistent/crds does not exist');
  });
});
