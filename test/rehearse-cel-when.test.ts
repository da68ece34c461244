import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { rehearsePipelineRun } from '../src/rehearse/pipeline-run-rehearsal';
import { RehearsalError } from '../src/rehearse/rehearsal-error';
import { readTektonFeatureFlags } from '../src/tekton-model/feature-flags';
import { KubernetesObject } from '../src/tekton-model/tekton-objects';

// cel in a pipeline task's when, as Tekton's reconciler evaluates it (pipelinerunresolution.go
// EvaluateCEL): variables substituted first, then compiled and evaluated in an empty environment

let workDir: string;
beforeEach(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-cel-'));
});
afterEach(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

const TASK: KubernetesObject = {
  apiVersion: 'tekton.dev/v1',
  kind: 'Task',
  metadata: { name: 't' },
  spec: { steps: [{ name: 's', image: 'busybox', script: 'true' }] },
};

function run(cel: string, go = 'yes') {
  const pipeline: KubernetesObject = {
    apiVersion: 'tekton.dev/v1',
    kind: 'Pipeline',
    metadata: { name: 'p' },
    spec: { params: [{ name: 'go', default: 'no' }], tasks: [{ name: 'a', taskRef: { name: 't' }, when: [{ cel }] }] },
  };
  const lines: string[] = [];
  const result = rehearsePipelineRun({
    pipelineRun: {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'pr', uid: 'uid-1' },
      spec: { pipelineRef: { name: 'p' }, params: [{ name: 'go', value: go }] },
    },
    objects: [TASK, pipeline],
    flags: readTektonFeatureFlags({ 'enable-cel-in-whenexpression': 'true', 'enable-api-fields': 'alpha' }),
    workDir,
    env: process.env,
    report: (l) => lines.push(l),
  });
  return { ...result, lines };
}

describe('rehearsePipelineRun: cel when expressions', () => {
  test('true runs the task', () => {
    const { taskRuns } = run("'$(params.go)' == 'yes'");
    expect(taskRuns).toHaveLength(1);
  });
  test('false skips it, as Tekton reports', () => {
    const { taskRuns, pipelineRun, lines } = run("'$(params.go)' in ['yes', 'y']", 'no');
    expect(taskRuns).toEqual([]);
    expect(pipelineRun.status.skippedTasks).toEqual([{ name: 'a', reason: 'When Expressions evaluated to false' }]);
    expect(lines).toContain("task a skipped (when cel 'no' in ['yes', 'y'] is false)");
  });
  test('an expression that is not a boolean fails the run', () => {
    expect(() => run("'$(params.go)' + 'x'")).toThrow(RehearsalError);
    expect(() => run("'$(params.go)' + 'x'")).toThrow(/is not evaluated to a boolean \(CELEvaluationFailed\)/);
  });
});
