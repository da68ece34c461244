import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDocuments, CheckOptions, Finding, RULES } from '../src/check';

// GIVEN small inline Tekton objects
const task = (name: string, spec: object): object => ({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name }, spec });
const pipeline = (name: string, spec: object): object => ({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name }, spec });
const pipelineRun = (spec: object): object => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'PipelineRun',
  metadata: { generateName: 'run-' },
  spec,
});
const taskRun = (spec: object): object => ({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'tr' }, spec });
const stepAction = (name: string, spec: object): object => ({
  apiVersion: 'tekton.dev/v1beta1',
  kind: 'StepAction',
  metadata: { name },
  spec,
});
const step = (extra: object = {}): object => ({ name: 's', image: 'alpine', script: 'echo hi', ...extra });
const taskWith = (extra: object): object => task('t', { steps: [step()], ...extra });
const taskSteps = (...steps: object[]): object => task('t', { steps });
/** A Task `echo` with a required param `msg`, an optional `n`, a result `out` and a workspace `src`. */
const ECHO = task('echo', {
  params: [
    { name: 'msg' },
    { name: 'n', default: '1' },
    { name: 'list', type: 'array', default: [] },
    { name: 'obj', properties: { a: {}, b: {} }, default: { a: '1', b: '2' } },
    { name: 'mode', enum: ['fast', 'slow'], default: 'fast' },
  ],
  results: [{ name: 'out' }, { name: 'obj', type: 'object', properties: { k: { type: 'string' } } }, { name: 'arr', type: 'array' }],
  workspaces: [{ name: 'src' }, { name: 'cache', optional: true }],
  steps: [step({ script: 'echo $(params.msg) > $(results.out.path)' })],
});
const pt = (name: string, extra: object = {}): object => ({
  name,
  taskRef: { name: 'echo' },
  params: [{ name: 'msg', value: 'hi' }],
  workspaces: [{ name: 'src', workspace: 'ws' }],
  ...extra,
});
const pipe = (spec: object): object => pipeline('p', { workspaces: [{ name: 'ws' }], ...spec });
const TRIGGERS = 'triggers.tekton.dev/v1beta1';
/** A PipelineRun resource template over an embedded pipeline that declares the params it is given. */
const TT_RUN = (params: { name: string; value: string }[]): object => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'PipelineRun',
  metadata: { generateName: 'r-' },
  spec: { params, pipelineSpec: { params: params.map((p) => ({ name: p.name })), tasks: [{ name: 'a', taskSpec: { steps: [step()] } }] } },
});
const triggerTemplate = (params: object[], resourcetemplates: object[]): object => ({
  apiVersion: TRIGGERS,
  kind: 'TriggerTemplate',
  metadata: { name: 'tt' },
  spec: { params, resourcetemplates },
});
const triggerBinding = (params: object[]): object => ({
  apiVersion: TRIGGERS,
  kind: 'TriggerBinding',
  metadata: { name: 'tb' },
  spec: { params },
});
const triggerWith = (bindings: object[], filter = 'true', more: object[] = []): object => ({
  apiVersion: TRIGGERS,
  kind: 'Trigger',
  metadata: { name: 'tr' },
  spec: {
    interceptors: [...more, { ref: { name: 'cel' }, params: [{ name: 'filter', value: filter }] }],
    bindings,
    template: { ref: 'tt' },
  },
});
/** An EventListener with the given spec. */
const eventListener = (spec: object): object => ({ apiVersion: TRIGGERS, kind: 'EventListener', metadata: { name: 'el' }, spec });
/** A trigger group sharing a cel interceptor among the Triggers labelled `group: push`. */
const triggerGroup = (extra: object = {}): object => ({
  name: 'push',
  interceptors: [{ ref: { name: 'cel' }, params: [{ name: 'filter', value: 'true' }] }],
  triggerSelector: { labelSelector: { matchLabels: { group: 'push' } } },
  ...extra,
});

interface RuleCase {
  readonly fires: readonly object[];
  readonly near: readonly object[];
  readonly options?: CheckOptions;
  readonly nearOptions?: CheckOptions;
}

const CASES: Record<string, RuleCase> = {
  'metadata-name-invalid': { fires: [task('Bad_Name', { steps: [step()] })], near: [task('demo.pipeline', { steps: [step()] })] },
  'api-version-unserved': {
    fires: [{ apiVersion: 'tekton.dev/v1', kind: 'StepAction', metadata: { name: 'sa' }, spec: { image: 'alpine' } }],
    near: [stepAction('sa', { image: 'alpine' }), { ...(taskWith({}) as object), apiVersion: 'tekton.dev/v1beta1' }],
  },
  'kind-missing': {
    fires: [{ apiVersion: 'tekton.dev/v1', metadata: { name: 't' }, spec: { steps: [step()] } }],
    // a file that is no Kubernetes object at all (a package.json, a Helm values file) is not judged
    // nor a Helm Chart.yaml (apiVersion v2, no kind: tektoncd/operator charts/tekton-operator/Chart.yaml) or a yamale schema
    near: [
      { name: 'slsa-for-models', version: '1.0.0' },
      { metadata: { name: 'values' }, image: 'alpine' },
      taskWith({}),
      { apiVersion: 'v2', name: 'tekton-operator', version: '0.79.0', type: 'application' },
      { apiVersion: 'str()', name: 'str()', version: 'str()' },
    ],
  },
  'v1beta1-field-removed': {
    fires: [
      {
        ...(taskWith({}) as object),
        apiVersion: 'tekton.dev/v1beta1',
        spec: { steps: [step()], resources: { inputs: [{ name: 'source', type: 'git' }] } },
      },
    ],
    near: [
      { ...(taskWith({}) as object), apiVersion: 'tekton.dev/v1beta1' },
      // an empty list of Pipeline resources passes (len(ps.Resources) > 0 is what Tekton refuses)
      {
        ...(pipeline('p', { resources: [], tasks: [{ name: 'a', taskSpec: { steps: [step()] } }] }) as object),
        apiVersion: 'tekton.dev/v1beta1',
      },
      pipe({
        tasks: [
          {
            name: 'a',
            taskRef: {
              resolver: 'bundles',
              params: [
                { name: 'bundle', value: 'reg.io/t:1' },
                { name: 'name', value: 'echo' },
                { name: 'kind', value: 'task' },
              ],
            },
          },
        ],
      }),
    ],
  },
  'field-type-invalid': {
    fires: [taskSteps(step({ env: [{ name: 'PORT', value: 8080 }] }))],
    near: [taskSteps(step({ env: [{ name: 'PORT', value: '8080' }], args: ['-n', '10'] }))],
  },
  'field-unknown': {
    fires: [ECHO, pipe({ tasks: [pt('a'), pt('b', { runafter: ['a'] })] })],
    near: [
      ECHO,
      pipe({
        tasks: [pt('a'), pt('b', { runAfter: ['a'], timeout: '1m', params: [{ name: 'msg', value: { anything: ['goes'] } }] })],
        params: [{ name: 'cfg', type: 'object', properties: { k: { type: 'string' } }, default: { k: 'v', extra: 'kept' } }],
        results: [{ name: 'r', value: { free: '$(tasks.a.results.obj.k)' } }],
      }),
      taskRun({
        taskRef: { name: 'echo' },
        params: [{ name: 'msg', value: 'hi' }],
        workspaces: [{ name: 'src', emptyDir: {} }],
        podTemplate: {
          affinity: { nodeAffinity: { anything: true } },
          securityContext: { runAsUser: 1000, futureField: 1 },
          nodeSelector: { 'disk/type': 'ssd' },
        },
        computeResources: { limits: { cpu: '1', 'nvidia.com/gpu': 1 } },
      }),
      {
        ...(pipelineRun({
          pipelineRef: { name: 'p' },
          workspaces: [{ name: 'ws', emptyDir: {} }],
          taskRunTemplate: { serviceAccountName: 'sa' },
        }) as object),
        status: { anything: 'the controller writes' },
      },
      pipe({
        tasks: [{ name: 'c', taskSpec: { apiVersion: 'example.dev/v1', kind: 'Wait', spec: { duration: '1s', unknownToTekton: true } } }],
      }),
      {
        ...(taskWith({}) as object),
        apiVersion: 'tekton.dev/v1beta1',
        spec: { steps: [step()], description: 'v1beta1 fields are not walked' },
      },
    ],
  },
  'document-invalid': { fires: [{ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' } }], near: [taskWith({})] },
  'pipeline-task-name-invalid': { fires: [ECHO, pipe({ tasks: [pt('Build')] })], near: [ECHO, pipe({ tasks: [pt('build')] })] },
  'custom-task-invalid': {
    fires: [ECHO, pipe({ tasks: [pt('a', { taskRef: { name: 'echo', kind: 'ClusterTask' } })] })],
    near: [
      ECHO,
      pipe({
        tasks: [
          pt('a', { taskRef: { name: 'echo', kind: 'Task' } }),
          { name: 'b', taskRef: { apiVersion: 'example.dev/v1', kind: 'Wait', name: 'w' } },
        ],
      }),
    ],
  },
  'pipeline-task-name-duplicate': {
    fires: [ECHO, pipe({ tasks: [pt('a')], finally: [pt('a')] })],
    near: [ECHO, pipe({ tasks: [pt('a')], finally: [pt('b')] })],
  },
  'step-name-invalid': { fires: [taskSteps(step({ name: 'Step_1' }))], near: [taskSteps(step({ name: 'step-1' }))] },
  'pipeline-spec-empty': { fires: [pipeline('p', { tasks: [], params: [] })], near: [pipeline('p', { description: 'tasks come later' })] },
  'run-field-invalid': {
    fires: [pipelineRun({ pipelineRef: { name: 'x' }, status: 'Canceled' })],
    near: [
      pipelineRun({ pipelineRef: { name: 'x' }, status: 'CancelledRunFinally' }),
      taskRun({ taskRef: { name: 'x' }, status: 'TaskRunPending', statusMessage: 'held', retries: 0 }),
    ],
  },
  'step-name-duplicate': { fires: [taskSteps(step(), step())], near: [taskSteps(step(), step({ name: 's2' }))] },
  'param-name-invalid': {
    fires: [taskWith({ params: [{ name: 'o.k', properties: { a: {} } }] })],
    near: [taskWith({ params: [{ name: 'dotted.name' }] })],
  },
  'param-name-duplicate': {
    fires: [taskWith({ params: [{ name: 'x' }, { name: 'x' }] })],
    near: [taskWith({ params: [{ name: 'x' }, { name: 'y' }] })],
  },
  'result-name-invalid': { fires: [taskWith({ results: [{ name: '-r' }] })], near: [taskWith({ results: [{ name: 'r.x_y' }] })] },
  'result-name-duplicate': {
    fires: [taskWith({ results: [{ name: 'r' }, { name: 'r' }] })],
    near: [taskWith({ results: [{ name: 'r' }, { name: 'q' }] })],
  },
  'workspace-name-duplicate': {
    fires: [taskWith({ workspaces: [{ name: 'w' }, { name: 'w' }] })],
    near: [taskWith({ workspaces: [{ name: 'w' }, { name: 'v' }] })],
  },
  'workspace-name-invalid': {
    fires: [pipeline('p', { workspaces: [{ name: '' }], tasks: [{ name: 't', taskRef: { name: 'x' } }] })],
    near: [pipeline('p', { workspaces: [{ name: 'w' }], tasks: [{ name: 't', taskRef: { name: 'x' } }] })],
  },
  'volume-mount-name-invalid': {
    fires: [stepAction('sa', { image: 'alpine', params: [{ name: 'vol' }], volumeMounts: [{ name: 'cache', mountPath: '/cache' }] })],
    near: [
      stepAction('sa', { image: 'alpine', params: [{ name: 'vol' }], volumeMounts: [{ name: '$(params.vol)', mountPath: '/cache' }] }),
    ],
  },
  'volume-name-duplicate': {
    fires: [
      taskWith({
        volumes: [
          { name: 'v', emptyDir: {} },
          { name: 'v', emptyDir: {} },
        ],
      }),
    ],
    near: [
      taskWith({
        volumes: [
          { name: 'v', emptyDir: {} },
          { name: 'u', emptyDir: {} },
        ],
      }),
    ],
  },
  'task-steps-missing': { fires: [task('t', { steps: [] })], near: [taskWith({})] },
  'step-image-missing': {
    fires: [taskSteps({ name: 's', script: 'echo' })],
    near: [task('t', { stepTemplate: { image: 'alpine' }, steps: [{ name: 's', script: 'echo' }] })],
  },
  'step-resources-invalid': {
    fires: [taskSteps(step({ computeResources: { requests: { memory: '2Gi' }, limits: { memory: '1Gi' } } }))],
    near: [taskSteps(step({ computeResources: { requests: { memory: '512Mi', cpu: '2' }, limits: { memory: '1Gi' } } }))],
  },
  'step-script-and-command': { fires: [taskSteps(step({ command: ['sh'] }))], near: [taskSteps(step({ args: ['x'] }))] },
  'step-ref-conflict': {
    fires: [stepAction('sa', { image: 'alpine', script: 'echo' }), taskSteps({ name: 's', ref: { name: 'sa' }, image: 'alpine' })],
    near: [stepAction('sa', { image: 'alpine', script: 'echo' }), taskSteps({ name: 's', ref: { name: 'sa' } })],
  },
  'volume-mount-reserved': {
    fires: [taskSteps(step({ volumeMounts: [{ name: 'tekton-internal-foo', mountPath: '/foo' }] }))],
    near: [
      taskSteps(
        step({
          volumeMounts: [
            { name: 'tekton-internals', mountPath: '/tekton/home/x' },
            { name: 'my-tekton-internal-foo', mountPath: '/foo' },
          ],
        }),
      ),
      task('t2', {
        steps: [step({ volumeMounts: [{ name: 'tekton-internals', mountPath: '/foo' }] })],
        volumes: [{ name: 'tekton-internals', emptyDir: {} }],
      }),
    ],
  },
  'step-reference-misplaced': {
    fires: [
      task('t', { steps: [step({ name: 'a', results: [{ name: 'dir' }] }), step({ name: 'b', workingDir: '$(steps.a.results.dir)' })] }),
    ],
    near: [
      task('t', {
        steps: [
          step({ name: 'a', results: [{ name: 'dir' }] }),
          step({ name: 'b', script: undefined, args: ['$(steps.a.results.dir)'], env: [{ name: 'D', value: '$(steps.a.results.dir)' }] }),
        ],
      }),
    ],
  },
  'step-on-error-invalid': { fires: [taskSteps(step({ onError: 'ignore' }))], near: [taskSteps(step({ onError: 'continue' }))] },
  'step-script-param-substitution': {
    fires: [stepAction('sa', { image: 'alpine', params: [{ name: 'x' }], script: 'echo $(params.x)' })],
    near: [stepAction('sa', { image: 'alpine', params: [{ name: 'x' }], env: [{ name: 'X', value: '$(params.x)' }], script: 'echo $X' })],
  },
  'workspace-undeclared': {
    fires: [taskSteps(step({ workspaces: [{ name: 'w' }] }))],
    near: [task('t', { workspaces: [{ name: 'w' }], steps: [step({ workspaces: [{ name: 'w' }], script: 'ls $(workspaces.w.path)' })] })],
  },
  'param-type-invalid': {
    fires: [taskWith({ params: [{ name: 'x', type: 'int' }] })],
    near: [taskWith({ params: [{ name: 'x', type: 'string' }] })],
  },
  'param-default-type-mismatch': {
    fires: [taskWith({ params: [{ name: 'x', type: 'array', default: 'a' }] })],
    near: [taskWith({ params: [{ name: 'x', type: 'array', default: ['a'] }] })],
  },
  'param-properties-missing': {
    fires: [taskWith({ params: [{ name: 'x', type: 'object' }] })],
    near: [taskWith({ params: [{ name: 'x', type: 'object', properties: { a: {} } }] })],
  },
  'param-enum-invalid': {
    fires: [taskWith({ params: [{ name: 'x', enum: ['a', 'b'], default: 'c' }] })],
    near: [taskWith({ params: [{ name: 'x', enum: ['a', 'b'], default: 'b' }] })],
  },
  'param-reference-undeclared': {
    fires: [taskSteps(step({ script: 'echo $(params.nope)' }))],
    near: [task('t', { params: [{ name: 'yes' }], steps: [step({ script: 'echo $(params.yes) $(params["yes"])' })] })],
  },
  'param-key-undeclared': {
    fires: [task('t', { params: [{ name: 'o', properties: { a: {} } }], steps: [step({ script: 'echo $(params.o.z)' })] })],
    near: [task('t', { params: [{ name: 'o', properties: { a: {} } }], steps: [step({ script: 'echo $(params.o.a)' })] })],
  },
  'param-reference-malformed': {
    fires: [task('t', { params: [{ name: 'o', properties: { a: {} } }], steps: [step({ script: 'echo $(params.o.a.b)' })] })],
    near: [task('t', { params: [{ name: 'o', properties: { a: {} } }], steps: [step({ script: 'echo $(params.o.a)' })] })],
  },
  'param-whole-value-misplaced': {
    fires: [task('t', { params: [{ name: 'l', type: 'array' }], steps: [step({ script: 'echo $(params.l)' })] })],
    near: [
      task('t', {
        params: [{ name: 'l', type: 'array' }],
        steps: [{ name: 's', image: 'alpine', command: ['echo'], args: ['$(params.l[*])', '$(params.l[0])-x'] }],
      }),
    ],
  },
  'variable-prefix-unknown': {
    fires: [ECHO, pipe({ tasks: [pt('a', { params: [{ name: 'msg', value: '$(foo.bar)' }] })] })],
    near: [ECHO, pipe({ params: [{ name: 'm' }], tasks: [pt('a', { params: [{ name: 'msg', value: '$(params.m) $(date +%s)' }] })] })],
  },
  'context-variable-unknown': {
    fires: [taskSteps(step({ script: 'echo $(context.taskRun.color)' }))],
    near: [taskSteps(step({ script: 'echo $(context.taskRun.name) $(context.task.retry-count)' }))],
  },
  'result-type-invalid': {
    fires: [taskWith({ results: [{ name: 'r', type: 'int' }] })],
    near: [taskWith({ results: [{ name: 'r', type: 'array' }] })],
  },
  'result-value-invalid': {
    fires: [taskWith({ results: [{ name: 'digest', value: '$(steps.Build_Step.results.digest)' }] })],
    near: [taskWith({ results: [{ name: 'digest', value: '$(steps.build.results.digest)' }, { name: 'plain' }] })],
  },
  'result-reference-undeclared': {
    fires: [taskSteps(step({ script: 'date > $(results.when.path)' }))],
    near: [task('t', { results: [{ name: 'when' }], steps: [step({ script: 'date > $(results.when.path)' })] })],
  },
  'task-result-task-unknown': {
    fires: [ECHO, pipe({ tasks: [pt('a', { params: [{ name: 'msg', value: '$(tasks.nope.results.out)' }] })] })],
    near: [ECHO, pipe({ tasks: [pt('a'), pt('b', { params: [{ name: 'msg', value: '$(tasks.a.results.out)' }] })] })],
  },
  'task-result-undeclared': {
    fires: [ECHO, pipe({ tasks: [pt('a'), pt('b', { params: [{ name: 'msg', value: '$(tasks.a.results.missing)' }] })] })],
    near: [ECHO, pipe({ tasks: [pt('a'), pt('b', { params: [{ name: 'msg', value: '$(tasks.a.results.obj.k)' }] })] })],
  },
  'task-result-from-child-pipeline': {
    fires: [
      ECHO,
      pipe({
        tasks: [{ name: 'c', pipelineRef: { name: 'inner' } }, pt('a', { params: [{ name: 'msg', value: '$(tasks.c.results.v)' }] })],
      }),
    ],
    near: [ECHO, pipe({ tasks: [{ name: 'c', pipelineRef: { name: 'inner' } }, pt('a', { runAfter: ['c'] })] })],
  },
  'task-result-from-finally': {
    fires: [ECHO, pipe({ tasks: [pt('a', { params: [{ name: 'msg', value: '$(tasks.f.results.out)' }] })], finally: [pt('f')] })],
    near: [ECHO, pipe({ tasks: [pt('a')], finally: [pt('f', { params: [{ name: 'msg', value: '$(tasks.a.results.out)' }] })] })],
  },
  'task-result-matrix-misused': {
    fires: [
      ECHO,
      pipe({
        tasks: [
          pt('m', { params: [], matrix: { params: [{ name: 'msg', value: ['x', 'y'] }] } }),
          pt('b', { params: [{ name: 'msg', value: '$(tasks.m.results.out)' }] }),
        ],
      }),
    ],
    near: [
      ECHO,
      pipe({
        tasks: [
          pt('m', { params: [], matrix: { params: [{ name: 'msg', value: ['x', 'y'] }] } }),
          pt('b', {
            params: [
              { name: 'msg', value: 'x' },
              { name: 'list', value: '$(tasks.m.results.out[*])' },
            ],
          }),
        ],
      }),
    ],
  },
  'execution-status-outside-finally': {
    fires: [ECHO, pipe({ tasks: [pt('a'), pt('b', { params: [{ name: 'msg', value: '$(tasks.a.status)' }] })] })],
    near: [ECHO, pipe({ tasks: [pt('a')], finally: [pt('f', { params: [{ name: 'msg', value: '$(tasks.a.status) $(tasks.status)' }] })] })],
  },
  'pipeline-result-invalid': {
    fires: [ECHO, pipe({ tasks: [pt('a')], results: [{ name: 'r', value: 'constant' }] })],
    near: [ECHO, pipe({ tasks: [pt('a')], results: [{ name: 'r', value: '$(tasks.a.results.out)' }] })],
  },
  'run-after-unknown-task': {
    fires: [ECHO, pipe({ tasks: [pt('a', { runAfter: ['zzz'] })] })],
    near: [ECHO, pipe({ tasks: [pt('z'), pt('a', { runAfter: ['z'] })] })],
  },
  'run-after-in-finally': {
    fires: [ECHO, pipe({ tasks: [pt('a')], finally: [pt('f', { runAfter: ['a'] })] })],
    near: [ECHO, pipe({ tasks: [pt('a')], finally: [pt('f')] })],
  },
  'pipeline-cycle': {
    fires: [ECHO, pipe({ tasks: [pt('a', { runAfter: ['b'] }), pt('b', { params: [{ name: 'msg', value: '$(tasks.a.results.out)' }] })] })],
    near: [ECHO, pipe({ tasks: [pt('a'), pt('b', { runAfter: ['a'], params: [{ name: 'msg', value: '$(tasks.a.results.out)' }] })] })],
  },
  'finally-without-tasks': { fires: [ECHO, pipe({ finally: [pt('f')] })], near: [ECHO, pipe({ tasks: [pt('a')], finally: [pt('f')] })] },
  'pipeline-task-ref-or-spec': {
    fires: [pipe({ tasks: [{ name: 'a' }] })],
    near: [pipe({ tasks: [{ name: 'a', taskSpec: { steps: [step()] } }] })],
  },
  'task-spec-typed-with-steps': {
    fires: [pipe({ tasks: [{ name: 'a', taskSpec: { kind: 'Task', steps: [step()] } }] })],
    // kind on a custom task's spec (no steps) is what kind is for
    near: [
      pipe({
        tasks: [
          { name: 'a', taskSpec: { steps: [step()] } },
          { name: 'b', taskSpec: { apiVersion: 'example.dev/v1', kind: 'Wait', spec: { duration: '1s' } } },
        ],
      }),
    ],
  },
  'pipeline-task-on-error-invalid': {
    fires: [ECHO, pipe({ tasks: [pt('a', { onError: 'ignore' })] })],
    near: [ECHO, pipe({ tasks: [pt('a', { onError: 'continue' })] })],
  },
  'when-expression-invalid': {
    fires: [ECHO, pipe({ tasks: [pt('a', { when: [{ input: 'x', operator: 'eq', values: ['x'] }] })] })],
    near: [ECHO, pipe({ tasks: [pt('a', { when: [{ input: 'x', operator: 'notin', values: ['y'] }] })] })],
  },
  'matrix-invalid': {
    fires: [ECHO, pipe({ tasks: [pt('a', { params: [], matrix: { params: [{ name: 'msg', value: 'x' }] } })] })],
    near: [
      ECHO,
      pipe({
        params: [{ name: 'l', type: 'array' }],
        tasks: [pt('a', { params: [], matrix: { params: [{ name: 'msg', value: '$(params.l[*])' }] } })],
      }),
    ],
  },
  'param-missing': {
    fires: [ECHO, pipe({ tasks: [pt('a', { params: [] })] })],
    near: [ECHO, pipe({ tasks: [pt('a', { params: [], matrix: { params: [{ name: 'msg', value: ['a'] }] } })] })],
  },
  'param-value-type-mismatch': {
    fires: [
      ECHO,
      pipe({
        tasks: [
          pt('a', {
            params: [
              { name: 'msg', value: 'hi' },
              { name: 'list', value: 'a,b' },
            ],
          }),
        ],
      }),
    ],
    near: [
      ECHO,
      pipe({
        params: [{ name: 'l', type: 'array' }],
        tasks: [
          pt('a', {
            params: [
              { name: 'msg', value: 'hi' },
              { name: 'list', value: '$(params.l[*])' },
            ],
          }),
        ],
      }),
    ],
  },
  'param-index-out-of-range': {
    fires: [
      task('i', { params: [{ name: 'l', type: 'array', default: ['a'] }], steps: [step({ script: 'echo $(params.l[1])' })] }),
      taskRun({ taskRef: { name: 'i' } }),
    ],
    near: [
      task('i', { params: [{ name: 'l', type: 'array', default: ['a'] }], steps: [step({ script: 'echo $(params.l[1])' })] }),
      taskRun({ taskRef: { name: 'i' }, params: [{ name: 'l', value: ['a', 'b'] }] }),
    ],
  },
  'param-value-key-missing': {
    fires: [
      task('o', { params: [{ name: 'cfg', properties: { a: {}, b: {} } }], steps: [step()] }),
      taskRun({ taskRef: { name: 'o' }, params: [{ name: 'cfg', value: { a: '1' } }] }),
    ],
    near: [
      task('o', { params: [{ name: 'cfg', properties: { a: {}, b: {} } }], steps: [step()] }),
      taskRun({ taskRef: { name: 'o' }, params: [{ name: 'cfg', value: { a: '1', b: '2' } }] }),
    ],
  },
  'param-value-not-in-enum': {
    fires: [
      ECHO,
      pipe({
        tasks: [
          pt('a', {
            params: [
              { name: 'msg', value: 'hi' },
              { name: 'mode', value: 'medium' },
            ],
          }),
        ],
      }),
    ],
    near: [
      ECHO,
      pipe({
        tasks: [
          pt('a', {
            params: [
              { name: 'msg', value: 'hi' },
              { name: 'mode', value: 'slow' },
            ],
          }),
        ],
      }),
    ],
  },
  'param-enum-not-subset': {
    fires: [
      ECHO,
      pipe({
        params: [{ name: 'm', enum: ['fast', 'turbo'] }],
        tasks: [
          pt('a', {
            params: [
              { name: 'msg', value: 'hi' },
              { name: 'mode', value: '$(params.m)' },
            ],
          }),
        ],
      }),
    ],
    near: [
      ECHO,
      pipe({
        params: [{ name: 'm', enum: ['fast'] }],
        tasks: [
          pt('a', {
            params: [
              { name: 'msg', value: 'hi' },
              { name: 'mode', value: '$(params.m)' },
            ],
          }),
        ],
      }),
    ],
  },
  'param-undeclared': {
    fires: [
      ECHO,
      pipe({
        tasks: [
          pt('a', {
            params: [
              { name: 'msg', value: 'hi' },
              { name: 'python-version', value: '3.11' },
            ],
          }),
        ],
      }),
    ],
    near: [
      ECHO,
      pipe({
        tasks: [
          pt('a', {
            params: [
              { name: 'msg', value: 'hi' },
              { name: 'n', value: '3' },
            ],
          }),
        ],
      }),
    ],
  },
  'workspace-binding-undeclared': {
    fires: [ECHO, pipe({ tasks: [pt('a', { workspaces: [{ name: 'src', workspace: 'nope' }] })] })],
    near: [
      ECHO,
      pipe({
        tasks: [
          pt('a', {
            workspaces: [
              { name: 'src', workspace: 'ws' },
              { name: 'cache', workspace: 'ws' },
            ],
          }),
        ],
      }),
    ],
  },
  'workspace-missing': {
    fires: [ECHO, pipe({ tasks: [pt('a', { workspaces: [] })] })],
    near: [ECHO, pipe({ tasks: [pt('a', { workspaces: [{ name: 'src', workspace: 'ws' }] })] })],
  },
  'workspace-binding-invalid': {
    fires: [
      ECHO,
      taskRun({
        taskRef: { name: 'echo' },
        params: [{ name: 'msg', value: 'x' }],
        workspaces: [{ name: 'src', emptyDir: {}, secret: { secretName: 's' } }],
      }),
    ],
    near: [
      ECHO,
      taskRun({ taskRef: { name: 'echo' }, params: [{ name: 'msg', value: 'x' }], workspaces: [{ name: 'src', emptyDir: {} }] }),
    ],
  },
  'run-ref-or-spec': {
    fires: [pipelineRun({})],
    near: [pipelineRun({ pipelineSpec: { tasks: [{ name: 'a', taskSpec: { steps: [step()] } }] } })],
  },
  'run-param-invalid': {
    fires: [
      pipelineRun({
        pipelineSpec: { params: [{ name: 'x' }], tasks: [{ name: 'a', taskSpec: { steps: [step()] } }] },
        params: [{ name: 'x', value: '$(tasks.a.results.out)' }],
      }),
    ],
    near: [
      pipelineRun({
        pipelineSpec: { params: [{ name: 'x' }], tasks: [{ name: 'a', taskSpec: { steps: [step()] } }] },
        params: [{ name: 'x', value: '$(context.pipelineRun.name)' }],
      }),
    ],
  },
  'timeout-invalid': {
    fires: [
      pipelineRun({
        pipelineSpec: { tasks: [{ name: 'a', taskSpec: { steps: [step()] } }] },
        timeouts: { pipeline: '1h', tasks: '50m', finally: '20m' },
      }),
    ],
    near: [
      pipelineRun({
        pipelineSpec: { tasks: [{ name: 'a', taskSpec: { steps: [step()] } }] },
        timeouts: { pipeline: '1h30m', tasks: '1h', finally: '20m' },
      }),
    ],
  },
  'ref-ambiguous': {
    // two versions of Task echo in a catalog layout; the Pipeline sits in a directory of its own
    fires: [ECHO, task('echo', { params: [{ name: 'other' }], steps: [step()] }), pipe({ tasks: [pt('a')] })],
    options: { documentSources: ['task/echo/0.1/echo.yaml', 'task/echo/0.2/echo.yaml', 'pipeline/p/0.1/p.yaml'] },
    near: [ECHO, task('echo', { params: [{ name: 'other' }], steps: [step()] }), pipe({ tasks: [pt('a')] })],
    nearOptions: { documentSources: ['task/echo/0.1/echo.yaml', 'task/echo/0.2/echo.yaml', 'task/echo/0.1/tests/p.yaml'] },
  },
  'ref-invalid': {
    fires: [ECHO, pipe({ tasks: [pt('a', { taskRef: { name: '_echo' } })] })],
    near: [ECHO, pipe({ tasks: [pt('a', { taskRef: { name: 'echo' } })] })],
  },
  'ref-not-found': { fires: [pipe({ tasks: [pt('a')] })], near: [ECHO, pipe({ tasks: [pt('a')] })] },
  'remote-reference': {
    fires: [
      pipe({
        tasks: [
          {
            name: 'a',
            taskRef: {
              resolver: 'git',
              params: [
                { name: 'url', value: 'https://example.com/r.git' },
                { name: 'pathInRepo', value: 'task/x.yaml' },
              ],
            },
          },
        ],
      }),
    ],
    near: [ECHO, pipe({ tasks: [pt('a')] })],
  },
  'feature-disabled': {
    fires: [taskWith({ params: [{ name: 'x', enum: ['a'] }] })],
    options: { featureFlags: { 'enable-api-fields': 'alpha' } },
    near: [taskWith({ params: [{ name: 'x', enum: ['a'] }] })],
    nearOptions: { featureFlags: { 'enable-param-enum': 'true' } },
  },
  // Tekton Triggers (triggers.tekton.dev/v1beta1); more cases in check-triggers.test.ts
  'trigger-template-invalid': { fires: [triggerTemplate([], [])], near: [triggerTemplate([], [TT_RUN([])])] },
  'trigger-template-param-undeclared': {
    fires: [triggerTemplate([], [TT_RUN([{ name: 'p', value: '$(tt.params.p)' }])])],
    near: [triggerTemplate([{ name: 'p' }], [TT_RUN([{ name: 'p', value: '$(tt.params.p)' }])])],
  },
  'trigger-template-params-reference': {
    fires: [triggerTemplate([{ name: 'p' }], [TT_RUN([{ name: 'p', value: '$(params.p)' }])])],
    near: [triggerTemplate([{ name: 'p' }], [TT_RUN([{ name: 'p', value: '$(tt.params.p)' }])])],
  },
  'trigger-binding-param-missing': {
    fires: [triggerTemplate([{ name: 'p' }], [TT_RUN([{ name: 'p', value: '$(tt.params.p)' }])]), triggerWith([])],
    near: [
      triggerTemplate([{ name: 'p' }], [TT_RUN([{ name: 'p', value: '$(tt.params.p)' }])]),
      triggerWith([{ name: 'p', value: '$(body.p)' }]),
    ],
  },
  'trigger-binding-param-unknown': {
    fires: [triggerTemplate([], [TT_RUN([])]), triggerWith([{ name: 'q', value: '$(body.q)' }])],
    near: [triggerTemplate([{ name: 'q', default: '' }], [TT_RUN([])]), triggerWith([{ name: 'q', value: '$(body.q)' }])],
  },
  'trigger-binding-param-duplicate': {
    fires: [
      triggerBinding([
        { name: 'a', value: '$(body.a)' },
        { name: 'a', value: '$(body.b)' },
      ]),
    ],
    near: [
      triggerBinding([
        { name: 'a', value: '$(body.a)' },
        { name: 'b', value: '$(body.b)' },
      ]),
    ],
  },
  'trigger-binding-value-invalid': {
    fires: [triggerBinding([{ name: 'a', value: '$(body.a-$(body.b)' }])],
    near: [triggerBinding([{ name: 'a', value: '$(body.a)-$(body.b)' }])],
  },
  'trigger-interceptor-invalid': {
    fires: [
      triggerTemplate([], [TT_RUN([])]),
      triggerWith([], 'true', [{ ref: { name: 'github' }, params: [{ name: 'secretRef', value: { secretName: 'hook' } }] }]),
    ],
    near: [
      triggerTemplate([], [TT_RUN([])]),
      triggerWith([], 'true', [
        { ref: { name: 'github' }, params: [{ name: 'secretRef', value: { secretName: 'hook', secretKey: 'token' } }] },
      ]),
    ],
  },
  'trigger-cel-invalid': {
    fires: [triggerTemplate([], [TT_RUN([])]), triggerWith([], "body.ref = 'refs/heads/main'")],
    near: [triggerTemplate([], [TT_RUN([])]), triggerWith([], "body.ref == 'refs/heads/main'")],
  },
  'event-listener-triggers-missing': {
    fires: [eventListener({ serviceAccountName: 'el', namespaceSelector: { matchNames: [] } })],
    near: [eventListener({ serviceAccountName: 'el', labelSelector: {} })],
  },
  'event-listener-name-invalid': {
    fires: [{ ...(eventListener({ labelSelector: {} }) as object), metadata: { name: `el-${'x'.repeat(58)}` } }],
    near: [{ ...(eventListener({ labelSelector: {} }) as object), metadata: { name: `el-${'x'.repeat(57)}` } }],
  },
  'event-listener-trigger-invalid': {
    fires: [triggerWith([]), eventListener({ triggers: [{ triggerRef: 'tr', bindings: [] }] })],
    near: [triggerWith([]), eventListener({ triggers: [{ name: 'push', triggerRef: 'tr' }] })],
  },
  'trigger-group-invalid': {
    fires: [eventListener({ triggerGroups: [triggerGroup({ interceptors: [] })] })],
    near: [eventListener({ triggerGroups: [triggerGroup()] })],
  },
  'label-selector-invalid': {
    fires: [eventListener({ labelSelector: { matchExpressions: [{ key: 'group', operator: 'In' }] } })],
    near: [eventListener({ labelSelector: { matchExpressions: [{ key: 'group', operator: 'In', values: ['push'] }] } })],
  },
  'namespace-selector-invalid': {
    fires: [eventListener({ namespaceSelector: { matchNames: ['ci', 'Team_A'] } })],
    near: [eventListener({ namespaceSelector: { matchNames: ['ci', 'team-a'] } })],
  },
};

const rulesOf = (findings: readonly Finding[]): string[] => findings.map((f) => f.rule);
const errorsOf = (findings: readonly Finding[]): string[] => findings.filter((f) => f.severity === 'error').map((f) => f.message);

describe('checkDocuments rules', () => {
  test('every rule of the catalog has a case', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(RULES).sort());
  });

  test('docs/check.md lists every rule with its severity', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'check.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `([a-z0-9-]+)` \| (error|warning|note) \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(Object.entries(RULES).map(([id, r]) => [id, r.severity]));
  });

  describe.each(Object.entries(CASES))('%s', (rule, c) => {
    test('fires', () => {
      const findings = checkDocuments(c.fires, c.options);
      expect(rulesOf(findings)).toContain(rule);
      const finding = findings.find((f) => f.rule === rule)!;
      expect(finding.severity).toBe(RULES[rule as keyof typeof RULES].severity);
      expect(finding.message).toMatch(/^[A-Z][A-Za-z]+\/\S+ \S+: ([a-z$(]|[A-Z][A-Za-z]+\/)/);
      expect(finding.message).not.toContain('\n');
    });
    test('does not fire on the near case', () => {
      const findings = checkDocuments(c.near, c.nearOptions);
      expect(rulesOf(findings)).not.toContain(rule);
      expect(errorsOf(findings)).toEqual([]);
    });
  });
});

describe('checkDocuments messages and shape', () => {
  test('an undeclared param names the Task and lists what it declares (the upstream python-version fault)', () => {
    const findings = checkDocuments(CASES['param-undeclared'].fires);
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        rule: 'param-undeclared',
        object: 'Pipeline/p',
        documentIndex: 1,
        path: ['spec', 'tasks', 0, 'params', 1, 'name'],
        message:
          'Pipeline/p spec.tasks[0].params[1].name: param "python-version" is not declared by Task/echo, so Tekton ignores it (declared: msg, n, list, obj, mode)',
      }),
    ]);
  });

  test('a cycle is named through runAfter, result references and when inputs', () => {
    const findings = checkDocuments([
      ECHO,
      pipe({
        tasks: [
          pt('a', { runAfter: ['c'] }),
          pt('b', { params: [{ name: 'msg', value: '$(tasks.a.results.out)' }] }),
          pt('c', { when: [{ input: '$(tasks.b.results.out)', operator: 'in', values: ['x'] }] }),
        ],
      }),
    ]);
    const cycle = findings.filter((f) => f.rule === 'pipeline-cycle');
    expect(cycle).toHaveLength(1);
    expect(cycle[0].message).toContain('a -> c -> b -> a');
    expect(cycle[0].message).toContain('a runs after c, c has a when input from b, b reads a result of a');
  });

  test('a task that reads its own result is a cycle', () => {
    const findings = checkDocuments([ECHO, pipe({ tasks: [pt('a', { params: [{ name: 'msg', value: '$(tasks.a.results.out)' }] })] })]);
    expect(findings.find((f) => f.rule === 'pipeline-cycle')?.message).toContain('a -> a');
  });

  test('findings are sorted by document, then path', () => {
    const findings = checkDocuments([taskSteps(step({ name: 'B_' }), step({ name: 'A_' })), task('Bad_', { steps: [] })]);
    expect(findings.map((f) => [f.documentIndex, f.path.join('.')])).toEqual([
      [0, 'spec.steps.0.name'],
      [0, 'spec.steps.1.name'],
      [1, 'metadata.name'],
      [1, 'spec.steps'],
    ]);
  });

  test('other kinds and non-Tekton objects are ignored', () => {
    expect(
      checkDocuments([
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_' } },
        null,
        'text',
        { apiVersion: 'example.com/v1', kind: 'Task', metadata: { name: 'Bad_' } },
      ]),
    ).toEqual([]);
  });

  test('without feature flags, nothing depends on them', () => {
    const docs = [
      ECHO,
      pipe({ tasks: [pt('a', { params: [], matrix: { params: [{ name: 'msg', value: ['a', 'b'] }] } })] }),
      taskWith({ params: [{ name: 'x', enum: ['a'] }] }),
    ];
    expect(rulesOf(checkDocuments(docs))).not.toContain('feature-disabled');
    expect(rulesOf(checkDocuments(docs, { featureFlags: { 'enable-api-fields': 'stable', 'enable-param-enum': 'true' } }))).toEqual([
      'feature-disabled',
    ]);
  });

  test('pipelines in pipelines need alpha when flags are given', () => {
    const docs = [pipe({ tasks: [{ name: 'child', pipelineSpec: { tasks: [{ name: 'x', taskSpec: { steps: [step()] } }] } }] })];
    expect(rulesOf(checkDocuments(docs, { featureFlags: {} }))).toContain('feature-disabled');
    expect(rulesOf(checkDocuments(docs, { featureFlags: { 'enable-api-fields': 'alpha' } }))).not.toContain('feature-disabled');
  });

  test('alpha and beta fields of steps, refs and TaskRuns are judged by the flags', () => {
    const docs = [
      taskSteps(step({ stdoutConfig: { path: '/x' }, workspaces: [{ name: 'w' }] })),
      taskRun({ taskRef: { resolver: 'git', params: [{ name: 'url', value: 'u' }] }, debug: { breakpoints: { onFailure: 'enabled' } } }),
    ];
    const disabled = (flags: Record<string, string>): string[] =>
      checkDocuments(docs, { featureFlags: flags })
        .filter((f) => f.rule === 'feature-disabled')
        .map((f) => f.path.slice(-2).join('.'));
    expect(disabled({ 'enable-api-fields': 'stable' })).toEqual(['0.stdoutConfig', '0.workspaces', 'spec.debug', 'taskRef.resolver']);
    expect(disabled({ 'enable-api-fields': 'beta' })).toEqual(['0.stdoutConfig', 'spec.debug']);
    expect(disabled({ 'enable-api-fields': 'alpha' })).toEqual([]);
  });

  test('a bad feature flag value is refused', () => {
    expect(() => checkDocuments([], { featureFlags: { 'enable-api-fields': 'gamma' } })).toThrow(/enable-api-fields/);
  });

  test('run status, statusMessage and retries are judged as the run webhooks do', () => {
    const rules = (spec: object, run = taskRun): string[] =>
      checkDocuments([run(spec)])
        .filter((f) => f.rule === 'run-field-invalid')
        .map((f) => f.path.join('.'));
    expect(rules({ taskRef: { name: 'x' }, status: 'Cancelled' })).toEqual(['spec.status']); // a PipelineRun's value, not a TaskRun's
    expect(rules({ taskRef: { name: 'x' }, status: 'TaskRunCancelled' })).toEqual([]);
    expect(rules({ taskRef: { name: 'x' }, statusMessage: 'why' })).toEqual(['spec.statusMessage']);
    expect(rules({ taskRef: { name: 'x' }, retries: -1 })).toEqual(['spec.retries']);
    expect(rules({ pipelineRef: { name: 'x' }, status: 'TaskRunCancelled' }, pipelineRun)).toEqual(['spec.status']);
    expect(rules({ pipelineRef: { name: 'x' }, status: 'PipelineRunPending' }, pipelineRun)).toEqual([]);
  });

  test('run params (and TaskRun workspace bindings) are duplicates when their names differ only in case', () => {
    const spec = {
      taskSpec: {
        params: [
          { name: 'a', default: '' },
          { name: 'A', default: '' },
        ],
        workspaces: [
          { name: 'w', optional: true },
          { name: 'W', optional: true },
        ],
        steps: [step()],
      },
    };
    const dup = checkDocuments([
      taskRun({
        ...spec,
        params: [
          { name: 'a', value: '1' },
          { name: 'A', value: '2' },
        ],
        workspaces: [
          { name: 'w', emptyDir: {} },
          { name: 'W', emptyDir: {} },
        ],
      }),
    ]);
    expect(dup.map((f) => [f.rule, f.path.join('.')])).toEqual([
      ['param-name-duplicate', 'spec.params.1.name'],
      ['workspace-name-duplicate', 'spec.workspaces.1.name'],
    ]);
    expect(dup[0].message).toContain('ignoring case');
    expect(
      rulesOf(
        checkDocuments([
          pipelineRun({
            pipelineRef: { name: 'x' },
            params: [
              { name: 'x', value: '1' },
              { name: 'X', value: '2' },
            ],
          }),
        ]),
      ),
    ).toContain('param-name-duplicate');
    // a Task may declare both (its declarations are compared exactly)
    expect(checkDocuments([task('t', spec.taskSpec)])).toEqual([]);
  });

  test('TaskRun compute resources in two places, and a debug onFailure other than enabled, are refused', () => {
    const spec = { taskSpec: { steps: [step()] } };
    const both = checkDocuments([
      taskRun({
        ...spec,
        computeResources: { requests: { cpu: '1' } },
        stepSpecs: [{ name: 's', computeResources: { requests: { cpu: '1' } } }],
      }),
    ]);
    expect(both.map((f) => [f.rule, f.path.join('.')])).toEqual([['run-field-invalid', 'spec.stepSpecs.0.computeResources']]);
    expect(checkDocuments([taskRun({ ...spec, stepSpecs: [{ name: 's', computeResources: { requests: { cpu: '1' } } }] })])).toEqual([]);
    expect(rulesOf(checkDocuments([taskRun({ ...spec, debug: { breakpoints: { onFailure: 'true' } } })]))).toEqual(['run-field-invalid']);
    expect(checkDocuments([taskRun({ ...spec, debug: { breakpoints: { onFailure: 'enabled' } } })])).toEqual([]);
  });

  test('a custom task needs both kind and a group/version apiVersion, on taskRef and taskSpec alike', () => {
    const custom = (t: object): string[] =>
      checkDocuments([pipe({ tasks: [{ name: 'a', ...t }] })])
        .filter((f) => f.rule === 'custom-task-invalid')
        .map((f) => f.path.slice(3).join('.'));
    expect(custom({ taskRef: { apiVersion: 'tekton.dev/v1', name: 'echo' } })).toEqual(['taskRef.kind']);
    expect(custom({ taskRef: { kind: 'Wait', name: 'w' } })).toEqual(['taskRef.apiVersion']);
    expect(custom({ taskRef: { kind: 'Wait', apiVersion: 'v1', name: 'w' } })).toEqual(['taskRef.apiVersion']);
    expect(custom({ taskSpec: { apiVersion: 'example.dev/v1', spec: {} } })).toEqual(['taskSpec.kind']);
    expect(custom({ taskSpec: { apiVersion: 'example.dev/v1', kind: 'Wait', spec: { duration: '1s' } } })).toEqual([]);
    expect(checkDocuments([pipe({ tasks: [{ name: 'a', taskRef: { name: 'x', kind: 'ClusterTask' } }] })])[0].message).toContain(
      'ClusterTasks no longer exist',
    );
  });

  test('a key an object result does not declare is a warning: Tekton checks result keys only against what the Task wrote', () => {
    const findings = checkDocuments([
      ECHO,
      pipe({ tasks: [pt('a'), pt('b', { params: [{ name: 'msg', value: '$(tasks.a.results.obj.other)' }] })] }),
    ]);
    expect(findings.map((f) => [f.severity, f.rule])).toEqual([['warning', 'task-result-undeclared']]);
    expect(findings[0].message).toContain('key "other"');
  });

  test('a whole array or object result handed to a param of another type is a type mismatch', () => {
    const mismatch = (value: string, param = 'msg'): string[] =>
      checkDocuments([
        ECHO,
        pipe({
          tasks: [
            pt('a'),
            pt('b', {
              params: [
                { name: 'msg', value: 'x' },
                { name: param, value },
              ],
            }),
          ],
        }),
      ])
        .filter((f) => f.rule === 'param-value-type-mismatch' && f.path.join('.') === 'spec.tasks.1.params.1.value')
        .map((f) => f.message);
    expect(mismatch('$(tasks.a.results.arr[*])', 'n')).toEqual([
      expect.stringContaining('param "n" is a string, but $(tasks.a.results.arr[*]) is an array'),
    ]);
    expect(mismatch('$(tasks.a.results.obj[*])', 'list')).toHaveLength(1);
    expect(mismatch('$(tasks.a.results.arr[*])', 'list')).toEqual([]);
    expect(mismatch('$(tasks.a.results.obj[*])', 'obj')).toEqual([]);
    expect(mismatch('$(tasks.a.results.arr[0])', 'n')).toEqual([]);
    expect(mismatch('$(tasks.a.results.arr)', 'n')).toHaveLength(1); // Tekton strips [*] before the lookup: the same whole array
    expect(mismatch('$(tasks.a.results.arr)', 'list')).toEqual([]);
    expect(mismatch('$(tasks.a.results.out)', 'n')).toEqual([]);
  });

  test('a metadata.name that YAML reads as a number is named as such, not as missing', () => {
    const findings = checkDocuments([{ ...(task('x', { steps: [step()] }) as object), metadata: { name: 2024 } }]);
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('metadata.name is the number 2024, not a string')]);
  });

  test('numbers and booleans where the CRD schema wants strings are refused, with the quoted value to write', () => {
    const paths = (docs: object[]): string[] =>
      checkDocuments(docs)
        .filter((f) => f.rule === 'field-type-invalid')
        .map((f) => f.path.join('.'));
    expect(paths([taskSteps(step({ script: undefined, args: ['-n', 10], command: ['x', true] }))])).toEqual([
      'spec.steps.0.args.1',
      'spec.steps.0.command.1',
    ]);
    expect(paths([taskWith({ params: [{ name: 'p', enum: [1, 2], default: '1' }] })])).toEqual([
      'spec.params.0.enum.0',
      'spec.params.0.enum.1',
    ]);
    expect(
      paths([ECHO, pipe({ tasks: [pt('a'), pt('b', { runAfter: 'a', when: [{ input: 'x', operator: 'in', values: [1] }] })] })]),
    ).toEqual(['spec.tasks.1.runAfter', 'spec.tasks.1.when.0.values.0']);
    expect(paths([stepAction('sa', { image: 'alpine', env: [{ name: 'N', value: 1 }] })])).toEqual(['spec.env.0.value']);
    expect(paths([ECHO, pipe({ tasks: [pt('a', { retries: '3' }), pt('b', { retries: 2 })] })])).toEqual(['spec.tasks.0.retries']);
    expect(paths([task('t', { workspaces: [{ name: 1 }], steps: [step({ name: 2 })] })])).toEqual([
      'spec.steps.0.name',
      'spec.workspaces.0.name',
    ]);
    expect(checkDocuments([taskSteps(step({ env: [{ name: 'PORT', value: 8080 }] }))])[0].message).toContain('quote it ("8080")');
  });

  test('a param, result or pipeline task whose name is missing or not a string is told so, not named ""', () => {
    const messages = checkDocuments([
      taskWith({ params: [{ name: 2024 }], results: [{ name: true }] }),
      pipe({ tasks: [{ name: 1, taskSpec: { steps: [step()] } }] }),
    ]).map((f) => f.message);
    expect(messages).toEqual([
      expect.stringContaining('spec.params[0].name: param has no name, or a name that is not a string'),
      expect.stringContaining('spec.results[0].name: result has no name, or a name that is not a string'),
      expect.stringContaining('spec.tasks[0].name: pipeline task has no name, or a name that is not a string'),
    ]);
  });

  test('the results sidecar name is reserved', () => {
    const findings = checkDocuments([taskWith({ sidecars: [{ name: 'tekton-log-results', image: 'alpine' }] })]);
    expect(findings.map((f) => [f.rule, f.path.join('.')])).toEqual([['step-name-invalid', 'spec.sidecars.0.name']]);
    expect(findings[0].message).toContain('reserved');
    expect(checkDocuments([taskWith({ sidecars: [{ name: 'tekton-log', image: 'alpine' }] })])).toEqual([]);
  });

  test('an empty pipelineSpec of a run is refused as an empty Pipeline is', () => {
    expect(rulesOf(checkDocuments([pipelineRun({ pipelineSpec: {} })]))).toEqual(['pipeline-spec-empty']);
  });

  test('references resolve first within the same source', () => {
    const other = task('echo', { params: [{ name: 'other' }], steps: [step()] });
    const docs = [other, ECHO, pipe({ tasks: [pt('a')] })];
    expect(rulesOf(checkDocuments(docs))).toContain('param-missing');
    expect(checkDocuments(docs, { documentSources: ['x.yaml', 'y.yaml', 'y.yaml'] })).toEqual([]);
  });

  test('a name read from several files resolves to the nearest copy, and to none when no copy is nearer', () => {
    // GIVEN two differing versions of Task echo (0.1 needs msg; 0.2 needs other) and a Pipeline written for one of them
    const v2 = task('echo', { params: [{ name: 'other' }], steps: [step()] });
    const docs = [ECHO, v2, pipe({ tasks: [pt('a')] })];
    // WHEN the Pipeline sits beside neither, THEN nothing is judged against a copy the cluster may not have (no param-missing)
    const far = checkDocuments(docs, { documentSources: ['task/echo/0.1/echo.yaml', 'task/echo/0.2/echo.yaml', 'pipeline/p.yaml'] });
    expect(far.map((f) => [f.severity, f.rule])).toEqual([['note', 'ref-ambiguous']]);
    expect(far[0].message).toContain('task/echo/0.1/echo.yaml, task/echo/0.2/echo.yaml');
    // WHEN it sits in the tests of 0.2, THEN it is judged against 0.2
    const near = checkDocuments(docs, {
      documentSources: ['task/echo/0.1/echo.yaml', 'task/echo/0.2/echo.yaml', 'task/echo/0.2/tests/p.yaml'],
    });
    expect(near.map((f) => f.rule)).toEqual(['param-missing', 'param-undeclared', 'workspace-binding-undeclared']);
    // WHEN the copies are the same, THEN either will do
    const same = checkDocuments([ECHO, ECHO, pipe({ tasks: [pt('a')] })], { documentSources: ['a/echo.yaml', 'b/echo.yaml', 'c/p.yaml'] });
    expect(same).toEqual([]);
    // WHEN a resolver's pathInRepo names one of the files, THEN that one
    const git = pipe({
      tasks: [{ ...pt('a'), taskRef: { resolver: 'git', params: [{ name: 'pathInRepo', value: 'task/echo/0.1/echo.yaml' }] } }],
    });
    const byPath = checkDocuments([ECHO, v2, git], {
      documentSources: ['task/echo/0.1/echo.yaml', 'task/echo/0.2/echo.yaml', 'pipeline/p.yaml'],
    });
    expect(byPath.map((f) => [f.severity, f.rule])).toEqual([['note', 'remote-reference']]);
  });

  test('a PipelineRun is judged against its Pipeline: required params, types, enum, workspaces', () => {
    const p = pipeline('p', {
      params: [{ name: 'name' }, { name: 'list', type: 'array' }, { name: 'mode', enum: ['a', 'b'] }],
      workspaces: [{ name: 'ws' }],
      tasks: [{ name: 't', taskSpec: { steps: [step()] } }],
    });
    const run = pipelineRun({
      pipelineRef: { name: 'p' },
      params: [
        { name: 'list', value: 'x' },
        { name: 'mode', value: 'c' },
      ],
    });
    expect(rulesOf(checkDocuments([p, run])).sort()).toEqual([
      'param-missing',
      'param-value-not-in-enum',
      'param-value-type-mismatch',
      'workspace-missing',
    ]);
  });

  test('an embedded taskSpec of a run sees params and workspaces propagated to it', () => {
    const spec = {
      params: [{ name: 'cfg', properties: { url: {} } }],
      workspaces: [{ name: 'ws' }],
      tasks: [
        {
          name: 'a',
          params: [{ name: 'extra', value: 'x' }],
          taskSpec: { steps: [step({ script: 'echo $(params.cfg.url) $(params.extra) $(params.from-run) $(workspaces.ws.path)' })] },
        },
      ],
    };
    const run = pipelineRun({
      pipelineSpec: spec,
      params: [
        { name: 'cfg', value: { url: 'u' } },
        { name: 'from-run', value: 'r' },
      ],
      workspaces: [{ name: 'ws', emptyDir: {} }],
    });
    expect(checkDocuments([run])).toEqual([]);
  });

  test("a Pipeline's admission checks embedded steps against the taskSpec's and the Pipeline's params only", () => {
    const docs = [
      pipe({
        params: [{ name: 'cfg', properties: { url: {} } }],
        tasks: [
          {
            name: 'a',
            params: [{ name: 'extra', value: 'x' }],
            taskSpec: { steps: [step({ script: 'echo $(params.cfg.url) $(params.extra) $(workspaces.ws.path)' })] },
          },
        ],
      }),
    ];
    expect(checkDocuments(docs).map((f) => [f.severity, f.rule, f.path.join('.')])).toEqual([
      ['error', 'param-reference-undeclared', 'spec.tasks.0.taskSpec.steps.0.script'],
    ]);
  });

  test('an unknown param is an error where admission checks it, a warning where Tekton only leaves it unreplaced', () => {
    const spec = { steps: [step({ script: 'echo $(params.nope)' })] };
    expect(checkDocuments([taskRun({ taskSpec: spec })]).map((f) => [f.severity, f.rule])).toEqual([
      ['error', 'param-reference-undeclared'],
    ]);
    expect(checkDocuments([task('t', spec)]).map((f) => [f.severity, f.rule])).toEqual([['error', 'param-reference-undeclared']]);
    // a PipelineRun's admission counts every task's params as declared (validateInlineParameters), and skips finally
    const run = pipelineRun({
      pipelineSpec: {
        tasks: [
          { name: 'a', params: [{ name: 'only-a', value: 'x' }], taskSpec: { steps: [step()] } },
          { name: 'b', taskSpec: { steps: [step({ script: 'echo $(params.only-a)' })] } },
        ],
        finally: [{ name: 'f', taskSpec: { steps: [step({ script: 'echo $(params.nope)' })] } }],
      },
    });
    expect(checkDocuments([run]).map((f) => [f.severity, f.rule, f.path.slice(0, 4).join('.')])).toEqual([
      ['warning', 'param-reference-undeclared', 'spec.pipelineSpec.finally.0'],
      ['warning', 'param-reference-undeclared', 'spec.pipelineSpec.tasks.1'],
    ]);
    expect(
      checkDocuments([task('t', { steps: [step()], sidecars: [{ name: 'side', image: 'x', args: ['$(params.nope)'] }] })]).map((f) => [
        f.severity,
        f.rule,
      ]),
    ).toEqual([['warning', 'param-reference-undeclared']]);
  });

  test('an embedded taskSpec gets the pipeline workspaces it uses bound by name; an unknown one fails the run', () => {
    const ok = pipe({
      tasks: [{ name: 'a', taskSpec: { workspaces: [{ name: 'ws' }], steps: [step({ script: 'ls $(workspaces.ws.path)' })] } }],
    });
    expect(checkDocuments([ok])).toEqual([]);
    const ghost = pipe({ tasks: [{ name: 'a', taskSpec: { steps: [step({ script: 'ls $(workspaces.ghost.path)' })] } }] });
    expect(checkDocuments([ghost]).map((f) => [f.severity, f.rule])).toEqual([['error', 'workspace-undeclared']]);
    const unbound = pipe({ tasks: [{ name: 'a', taskSpec: { workspaces: [{ name: 'src' }], steps: [step()] } }] });
    expect(checkDocuments([unbound]).map((f) => [f.severity, f.rule])).toEqual([['error', 'workspace-missing']]);
  });

  test("$(steps.s.results.r) of a step with ref is judged against the StepAction's results", () => {
    const action = stepAction('sa', { image: 'alpine', results: [{ name: 'digest' }], script: 'echo > $(step.results.digest.path)' });
    const t = (r: string): object =>
      task('t', {
        steps: [
          { name: 'a', ref: { name: 'sa' } },
          step({ name: 'b', script: undefined, command: ['echo'], args: [`$(steps.a.results.${r})`] }),
        ],
      });
    expect(checkDocuments([action, t('digest')])).toEqual([]);
    expect(checkDocuments([action, t('digets')]).map((f) => f.message)).toEqual([
      'Task/t spec.steps[1].args[0]: $(steps.a.results.digets) refers to result "digets", which StepAction/sa (step "a") does not declare (declared: digest)',
    ]);
  });

  test('an array value with a whole-array reference has no known length, so its indexes are not judged', () => {
    const t = task('i', { params: [{ name: 'l', type: 'array' }], steps: [step({ script: 'echo $(params.l[3])' })] });
    const p = (value: unknown): object =>
      pipe({
        params: [{ name: 'list', type: 'array', default: ['a'] }],
        tasks: [{ name: 'a', taskRef: { name: 'i' }, params: [{ name: 'l', value }] }],
      });
    expect(checkDocuments([t, p(['$(params.list[*])'])])).toEqual([]);
    expect(checkDocuments([t, p(['x', 'y'])]).map((f) => f.rule)).toEqual(['param-index-out-of-range']);
  });

  test('timeouts anywhere are Go durations, not negative', () => {
    const rules = (docs: object[]): string[] => checkDocuments(docs).map((f) => `${f.rule} ${f.path.join('.')}`);
    expect(rules([taskSteps(step({ timeout: '5x' }))])).toEqual(['timeout-invalid spec.steps.0.timeout']);
    expect(rules([taskRun({ taskSpec: { steps: [step()] }, timeout: '-1s' })])).toEqual(['timeout-invalid spec.timeout']);
    expect(rules([pipe({ tasks: [{ name: 'a', timeout: '1h', taskSpec: { steps: [step({ timeout: '90s' })] } }] })])).toEqual([]);
    expect(rules([pipe({ tasks: [{ name: 'a', timeout: '1 hour', taskSpec: { steps: [step()] } }] })])).toEqual([
      'timeout-invalid spec.tasks.0.timeout',
    ]);
  });

  test('a run workspace binding needs what its volume source needs', () => {
    const run = (w: object): object =>
      taskRun({ taskSpec: { workspaces: [{ name: 'w' }], steps: [step()] }, workspaces: [{ name: 'w', ...w }] });
    expect(checkDocuments([run({ secret: {} })]).map((f) => f.message)).toEqual([
      'TaskRun/tr spec.workspaces[0].secret: workspace "w" sets secret without secretName; set secret.secretName',
    ]);
    expect(checkDocuments([run({ secret: { secretName: 's' } })])).toEqual([]);
    expect(checkDocuments([run({ persistentVolumeClaim: { claimName: '' } })]).map((f) => f.rule)).toEqual(['workspace-binding-invalid']);
    // projected (no feature flag in v1.15.0): workspace_validation.go needs a non-empty sources list
    expect(checkDocuments([run({ projected: { sources: [] } })]).map((f) => f.message)).toEqual([
      'TaskRun/tr spec.workspaces[0].projected: workspace "w" sets projected without sources; set projected.sources',
    ]);
    expect(
      checkDocuments([run({ projected: { sources: [{ configMap: { name: 'a', optional: true } }, { secret: { name: 's' } }] } })]),
    ).toEqual([]);
  });

  test('an object param value must name every declared key unless the default has it', () => {
    const o = task('o', { params: [{ name: 'cfg', properties: { a: {}, b: {} }, default: { b: 'x' } }], steps: [step()] });
    expect(rulesOf(checkDocuments([o, taskRun({ taskRef: { name: 'o' }, params: [{ name: 'cfg', value: { a: '1' } }] })]))).toEqual([]);
    expect(rulesOf(checkDocuments([o, taskRun({ taskRef: { name: 'o' } })]))).toEqual(['param-value-key-missing']);
  });

  test('a remote reference is not judged against a same-named local copy from another repository, and says why', () => {
    const docs = [
      ECHO,
      pipe({
        tasks: [
          {
            name: 'a',
            workspaces: [{ name: 'src', workspace: 'ws' }],
            taskRef: {
              resolver: 'git',
              params: [
                { name: 'url', value: 'https://x/y.git' },
                { name: 'pathInRepo', value: 'tasks/echo.yaml' },
              ],
            },
          },
        ],
      }),
    ];
    const findings = checkDocuments(docs);
    expect(findings.map((f) => [f.severity, f.rule])).toEqual([['note', 'remote-reference']]);
    expect(findings[0].message).toBe(
      'Pipeline/p spec.tasks[0].taskRef: the Task is fetched through the "git" resolver at run time: not checked (it comes from x/y, and the git repository of this file is not known (no .git with a remote above it), so no local file is taken for it)',
    );
  });
});

describe('remote references are judged only against the exact version the tree holds (issue 22)', () => {
  // GIVEN Task echo (needs param msg) in several places, and a pipeline task that passes no params
  const bare = (taskRef: object): object => pipe({ tasks: [{ name: 'a', workspaces: [{ name: 'src', workspace: 'ws' }], taskRef }] });
  const other = task('echo', { params: [{ name: 'other', default: 'x' }], workspaces: [{ name: 'src' }], steps: [step()] });
  const judge = (documents: readonly object[], documentSources: readonly string[], documentRepositories?: readonly object[]) =>
    checkDocuments(documents, { documentSources, documentRepositories: documentRepositories as CheckOptions['documentRepositories'] }).map(
      (f) => [f.severity, f.rule, f.message.replace(/^\S+ \S+: /, '')],
    );
  const gitRef = (url: string, pathInRepo = 'task/echo/0.2/echo.yaml'): object => ({
    resolver: 'git',
    params: [
      { name: 'url', value: url },
      { name: 'revision', value: 'main' },
      { name: 'pathInRepo', value: pathInRepo },
    ],
  });
  const repo = (pathInRepo: string, remotes = ['github.com/org/catalog']): object => ({ remotes, pathInRepo });

  test('git: pathInRepo of the same repository is judged; the same path of another repository is not', () => {
    const sources = ['task/echo/0.1/echo.yaml', 'task/echo/0.2/echo.yaml', 'pipeline/p.yaml'];
    const same = judge(
      [other, ECHO, bare(gitRef('git@github.com:Org/catalog.git'))],
      sources,
      sources.map((f) => repo(f)),
    );
    expect(same).toEqual([
      ['error', 'param-missing', expect.stringContaining('Task/echo')],
      [
        'note',
        'remote-reference',
        'the Task is fetched through the "git" resolver at run time; judged against the local Task/echo in task/echo/0.2/echo.yaml, task/echo/0.2/echo.yaml of the same repository',
      ],
    ]);
    const elsewhere = judge(
      [other, ECHO, bare(gitRef('https://github.com/someone/else'))],
      sources,
      sources.map((f) => repo(f)),
    );
    expect(elsewhere).toEqual([
      [
        'note',
        'remote-reference',
        'the Task is fetched through the "git" resolver at run time: not checked (it comes from another repository (github.com/someone/else; this file\'s repository is github.com/org/catalog))',
      ],
    ]);
    // near: same repository, a path no checked file has
    expect(
      judge(
        [other, ECHO, bare(gitRef('https://github.com/org/catalog', 'task/echo/0.3/echo.yaml'))],
        sources,
        sources.map((f) => repo(f)),
      ),
    ).toEqual([
      ['note', 'remote-reference', expect.stringContaining('not checked (no Task named "echo" was read at task/echo/0.3/echo.yaml')],
    ]);
  });

  test("bundles: another tree's catalog layout checked beside the referrer's is never the bundle's copy", () => {
    const ref = {
      resolver: 'bundles',
      params: [
        { name: 'name', value: 'echo' },
        { name: 'bundle', value: `quay.io/konflux-ci/tekton-catalog/task-echo:0.10@sha256:${'a'.repeat(64)}` },
        { name: 'kind', value: 'task' },
      ],
    };
    // a second repository checked under the same directory holds task/echo/0.10/: only a note
    expect(judge([ECHO, bare(ref)], ['catalog/task/echo/0.10/echo.yaml', 'konflux/.tekton/p.yaml']).map((f) => f[1])).toEqual([
      'remote-reference',
    ]);
    // near: the referrer's own tree holds it (it needs msg)
    expect(judge([ECHO, bare(ref)], ['konflux/task/echo/0.10/echo.yaml', 'konflux/.tekton/p.yaml']).map((f) => f[1])).toEqual([
      'param-missing',
      'remote-reference',
    ]);
  });

  test('bundles: the tag picks KIND/NAME/TAG/ of the catalog layout; a golden fixture of another version is never taken', () => {
    const ref = (tag: string): object => ({
      resolver: 'bundles',
      params: [
        { name: 'name', value: 'echo' },
        { name: 'bundle', value: `quay.io/konflux-ci/tekton-catalog/task-echo:${tag}@sha256:${'a'.repeat(64)}` },
        { name: 'kind', value: 'task' },
      ],
    });
    const sources = ['task-generator/trusted-artifacts/golden/task/echo/0.1/echo.yaml', 'task/echo/0.10/echo.yaml', 'pipelines/p.yaml'];
    // WHEN the tag is 0.10, THEN task/echo/0.10/ is the one (it needs msg)
    expect(judge([other, ECHO, bare(ref('0.10'))], sources).map((f) => f[1])).toEqual(['param-missing', 'remote-reference']);
    // WHEN the tag is 0.1, THEN the look-alike under golden/ is a test fixture, not the bundle's copy: only a note
    expect(judge([other, ECHO, bare(ref('0.1'))], sources)).toEqual([
      [
        'note',
        'remote-reference',
        expect.stringContaining('not checked (no Task named "echo" was read at the catalog layout\'s task/echo/0.1/'),
      ],
    ]);
    expect(judge([ECHO, other, bare(ref('0.1'))], ['task/echo/0.10/echo.yaml', 'task/echo/0.2/echo.yaml', 'pipelines/p.yaml'])).toEqual([
      [
        'note',
        'remote-reference',
        expect.stringContaining('not checked (no Task named "echo" was read at the catalog layout\'s task/echo/0.1/'),
      ],
    ]);
    // a v1beta1 taskRef bundle without a tag
    const beta = {
      ...(bare({ name: 'echo', bundle: 'quay.io/x/echo@sha256:' + 'b'.repeat(64) }) as object),
      apiVersion: 'tekton.dev/v1beta1',
    };
    expect(judge([ECHO, beta], ['task/echo/0.1/echo.yaml', 'p.yaml']).filter((f) => f[1] === 'remote-reference')).toEqual([
      ['note', 'remote-reference', expect.stringContaining('has no tag, so which version of "echo" it holds is not known here')],
    ]);
  });

  test("hub: an exact version is the catalog's KIND/NAME/VERSION/ file (its tests/ are not); a constraint is not checked", () => {
    const ref = (version: string): object => ({
      resolver: 'hub',
      params: [
        { name: 'kind', value: 'task' },
        { name: 'name', value: 'echo' },
        { name: 'version', value: version },
      ],
    });
    const sources = ['task/echo/0.2/echo.yaml', 'task/echo/0.2/tests/echo.yaml', 'pipeline/p.yaml'];
    expect(judge([ECHO, other, bare(ref('0.2'))], sources).map((f) => f[1])).toEqual(['param-missing', 'remote-reference']);
    expect(judge([other, ECHO, bare(ref('0.2.0'))], sources).map((f) => f[1])).toEqual(['remote-reference']);
    expect(judge([ECHO, bare(ref('>=0.1'))], ['task/echo/0.2/echo.yaml', 'p.yaml'])).toEqual([
      ['note', 'remote-reference', expect.stringContaining('version ">=0.1" is not one exact version')],
    ]);
  });

  test('cluster and http resolvers are never judged against a local look-alike', () => {
    const cluster = bare({
      resolver: 'cluster',
      params: [
        { name: 'name', value: 'echo' },
        { name: 'namespace', value: 'ci' },
      ],
    });
    expect(judge([ECHO, cluster], ['echo.yaml', 'p.yaml'])).toEqual([
      [
        'note',
        'remote-reference',
        'the Task is fetched through the "cluster" resolver at run time: not checked (the cluster resolver reads it from namespace "ci" of the cluster)',
      ],
    ]);
    const http = bare({ resolver: 'http', params: [{ name: 'url', value: 'https://example.com/echo.yaml' }] });
    expect(judge([ECHO, http], ['echo.yaml', 'p.yaml']).map((f) => f[1])).toEqual(['remote-reference']);
  });

  test("http: a raw-file URL of the checked file's own repository is that file of the repository, as a git pathInRepo is", () => {
    const sources = ['.tekton/tasks/echo.yaml', 'task/echo.yaml', '.tekton/p.yaml'];
    const repositories = sources.map((f) => repo(f, ['github.com/org/app']));
    const http = (url: string): object => bare({ resolver: 'http', params: [{ name: 'url', value: url }] });
    // the raw URL names .tekton/tasks/echo.yaml on a branch whose name holds slashes
    expect(
      judge(
        [ECHO, other, http('https://raw.githubusercontent.com/org/app/refs/heads/main/.tekton/tasks/echo.yaml')],
        sources,
        repositories,
      ).map((f) => f[1]),
    ).toEqual(['param-missing', 'remote-reference']);
    // near: the same path served from another repository is only a note
    expect(
      judge([ECHO, other, http('https://raw.githubusercontent.com/else/app/main/.tekton/tasks/echo.yaml')], sources, repositories),
    ).toEqual([['note', 'remote-reference', expect.stringContaining("not a raw file of this file's repository")]]);
  });

  test('a plain name: a copy in a test-fixture folder never outranks the real one', () => {
    const sources = ['build/golden/echo.yaml', 'task/echo.yaml', 'build/pipeline.yaml'];
    // the golden copy is nearer to build/pipeline.yaml, but the real one is judged (it needs msg)
    expect(judge([other, ECHO, bare({ name: 'echo' })], sources).map((f) => f[1])).toEqual(['param-missing']);
    // near: a referrer inside that fixture folder gets its own fixture
    expect(judge([other, ECHO, bare({ name: 'echo' })], ['build/golden/echo.yaml', 'task/echo.yaml', 'build/golden/p.yaml'])).toEqual([]);
  });

  test("a plain name with Konflux's version field is judged only against that version's catalog-layout copy", () => {
    // the tree holds task/echo/0.2/ only: version 0.1 is not judged against it
    expect(judge([ECHO, bare({ name: 'echo', version: '0.1' })], ['task/echo/0.2/echo.yaml', 'pipelines/p.yaml']).map((f) => f[1])).toEqual(
      ['ref-not-found', 'field-unknown'],
    );
    // near: version 0.2 is that copy (it needs msg)
    expect(judge([ECHO, bare({ name: 'echo', version: '0.2' })], ['task/echo/0.2/echo.yaml', 'pipelines/p.yaml']).map((f) => f[1])).toEqual(
      ['param-missing', 'field-unknown'],
    );
  });

  test('a plain name whose only copy is in a test-fixture folder is not judged from outside it', () => {
    // Konflux's pipelines name prefetch-dependencies, whose only copy in the tree is a golden fixture
    expect(judge([ECHO, bare({ name: 'echo' })], ['build/golden/echo.yaml', 'pipelines/p.yaml']).map((f) => f[1])).toEqual([
      'ref-not-found',
    ]);
    // near: from inside that fixture folder it is judged (it needs msg)
    expect(judge([ECHO, bare({ name: 'echo' })], ['build/golden/echo.yaml', 'build/golden/p.yaml']).map((f) => f[1])).toEqual([
      'param-missing',
    ]);
  });
});

describe('field-unknown', () => {
  const unknown = (documents: readonly object[]): Array<[string, string]> =>
    checkDocuments(documents)
      .filter((f) => f.rule === 'field-unknown')
      .map((f) => [f.path.join('.'), f.message]);

  test('names the object, the path and the nearest declared name of a pipeline task field the API server prunes', () => {
    expect(
      unknown([ECHO, pipe({ tasks: [pt('a'), pt('b', { runafter: ['a'], workspace: [{ name: 'src', workspace: 'ws' }] })] })]),
    ).toEqual([
      [
        'spec.tasks.1.runafter',
        'Pipeline/p spec.tasks[1].runafter: field "runafter" is not in the tekton.dev/v1 Pipeline schema, so the API server refuses it under kubectl\'s default strict field validation (with --validate=warn or ignore it drops it and Tekton never sees it); did you mean "runAfter"?',
      ],
      [
        'spec.tasks.1.workspace',
        'Pipeline/p spec.tasks[1].workspace: field "workspace" is not in the tekton.dev/v1 Pipeline schema, so the API server refuses it under kubectl\'s default strict field validation (with --validate=warn or ignore it drops it and Tekton never sees it); did you mean "workspaces"?',
      ],
    ]);
  });

  test('reports a misspelled step field, a timeout at the wrong level, a top-level and a metadata field', () => {
    const findings = unknown([
      {
        ...(task('t', { timeout: '1h', steps: [step({ workingdir: '/src', imagePullpolicy: 'Always' })] }) as object),
        params: [],
        metadata: { name: 't', label: { a: 'b' } },
      },
    ]);
    expect(findings.map((f) => f[0])).toEqual([
      'metadata.label',
      'params',
      'spec.steps.0.imagePullpolicy',
      'spec.steps.0.workingdir',
      'spec.timeout',
    ]);
    expect(findings[1][1]).toBe(
      'Task/t params: field "params" is not in the tekton.dev/v1 Task schema (top level), so the API server refuses it under kubectl\'s default strict field validation (with --validate=warn or ignore it drops it and Tekton never sees it); declared here: apiVersion, kind, metadata, spec, status',
    );
    expect(findings[0][1]).toContain(
      'is not in Kubernetes ObjectMeta, so the API server refuses it under kubectl\'s default strict field validation (with --validate=warn or ignore it drops it and Tekton never sees it); did you mean "labels"?',
    );
    expect(findings[2][1]).toContain('did you mean "imagePullPolicy"?');
    expect(findings[3][1]).toContain('did you mean "workingDir"?');
    expect(findings[4][1]).toMatch(/; declared here: description, displayName, params, /);
  });

  test('walks embedded taskSpec and pipelineSpec with the Task and Pipeline spec trees, matching names ignoring case as Go decoding does', () => {
    const embedded = { steps: [step({ imag: 'x', workingdir: '/ok-go-folds-case' })], sidecar: [] };
    const findings = unknown([
      pipe({ tasks: [{ name: 'e', taskSpec: embedded }], finally: [{ name: 'f', taskSpec: { steps: [step({ envv: [] })] } }] }),
      pipelineRun({ pipelineSpec: { tasks: [{ name: 'e', taskSpec: embedded, runafter: [], runAftr: [] }] } }),
      taskRun({ taskSpec: embedded }),
    ]);
    expect(findings.map((f) => f[0])).toEqual([
      'spec.finally.0.taskSpec.steps.0.envv',
      'spec.tasks.0.taskSpec.sidecar',
      'spec.tasks.0.taskSpec.steps.0.imag',
      'spec.pipelineSpec.tasks.0.runAftr',
      'spec.pipelineSpec.tasks.0.taskSpec.sidecar',
      'spec.pipelineSpec.tasks.0.taskSpec.steps.0.imag',
      'spec.taskSpec.sidecar',
      'spec.taskSpec.steps.0.imag',
    ]);
    expect(findings[1][1]).toBe(
      'Pipeline/p spec.tasks[0].taskSpec.sidecar: field "sidecar" is not in Tekton\'s Task spec, so Tekton\'s webhook, which decodes an embedded spec with unknown fields disallowed, refuses the object; did you mean "sidecars"?',
    );
  });

  test('a StepAction is walked against the tekton.dev/v1beta1 StepAction schema', () => {
    expect(unknown([stepAction('sa', { image: 'alpine', scirpt: 'echo' })]).map((f) => f[1])).toEqual([
      'StepAction/sa spec.scirpt: field "scirpt" is not in the tekton.dev/v1beta1 StepAction schema, so the API server refuses it under kubectl\'s default strict field validation (with --validate=warn or ignore it drops it and Tekton never sees it); did you mean "script"?',
    ]);
  });
});

describe("field-unknown severity: kubectl's strict field validation and Tekton's strict webhook decoding (issue 22)", () => {
  const unknownFindings = (documents: readonly object[], options?: CheckOptions): Array<[string, string]> =>
    checkDocuments(documents, options)
      .filter((f) => f.rule === 'field-unknown')
      .map((f) => [f.path.join('.'), f.severity]);
  const beta = (o: object): object => ({ ...o, apiVersion: 'tekton.dev/v1beta1' });
  const pruned = pipe({ tasks: [pt('a', { runafter: [] })] });
  const embedded = pipe({ tasks: [{ name: 'e', taskSpec: { steps: [step({ scirpt: 'x' })] } }] });

  test('a field the schema prunes is an error by default (kubectl --validate=strict), a warning with fieldValidation warn or ignore', () => {
    expect(unknownFindings([ECHO, pruned])).toEqual([['spec.tasks.0.runafter', 'error']]);
    expect(unknownFindings([ECHO, pruned], { fieldValidation: 'warn' })).toEqual([['spec.tasks.0.runafter', 'warning']]);
    expect(unknownFindings([ECHO, pruned], { fieldValidation: 'ignore' })).toEqual([['spec.tasks.0.runafter', 'warning']]);
    expect(checkDocuments([ECHO, pruned], { fieldValidation: 'warn' })[0].message).toContain(
      'so the API server drops it and Tekton never sees it; did you mean "runAfter"?',
    );
  });

  test('an unknown field of an embedded spec is an error under every field validation (the webhook refuses it)', () => {
    expect(unknownFindings([embedded], { fieldValidation: 'ignore' })).toEqual([['spec.tasks.0.taskSpec.steps.0.scirpt', 'error']]);
    // a non-empty but meaningless embedded spec
    expect(unknownFindings([pipelineRun({ pipelineSpec: { foo: 'bar' } })])).toEqual([['spec.pipelineSpec.foo', 'error']]);
    expect(unknownFindings([taskRun({ taskSpec: { foo: 'bar', steps: [step()] } })])).toEqual([['spec.taskSpec.foo', 'error']]);
  });

  test('what Pipelines-as-Code creates (PaC annotations, or a file in .tekton/) loses an unknown field in its lenient decoding: a warning', () => {
    const pac = {
      ...(pipelineRun({
        description: 'x',
        pipelineSpec: { tasks: [{ name: 'e', taskSpec: { steps: [step({ scirpt: 'x' })] } }] },
      }) as object),
      metadata: { name: 'pr', annotations: { 'pipelinesascode.tekton.dev/on-event': '[pull_request]' } },
    };
    expect(unknownFindings([pac])).toEqual([
      ['spec.description', 'warning'],
      ['spec.pipelineSpec.tasks.0.taskSpec.steps.0.scirpt', 'warning'],
    ]);
    expect(checkDocuments([pac])[0].message).toContain("so Pipelines-as-Code, which decodes the object into Tekton's types (not strictly)");
    expect(unknownFindings([embedded], { documentSources: ['repo/.tekton/p.yaml'] })).toEqual([
      ['spec.tasks.0.taskSpec.steps.0.scirpt', 'warning'],
    ]);
    // near: the same objects applied with kubectl
    expect(unknownFindings([embedded], { documentSources: ['repo/ci/p.yaml'] })).toEqual([
      ['spec.tasks.0.taskSpec.steps.0.scirpt', 'error'],
    ]);
  });

  test('v1beta1 objects are walked against the v1beta1 schemas, embedded specs included', () => {
    expect(
      unknownFindings([
        beta(task('t', { steps: [step({ workingdir: '/x' })] })),
        beta(pipeline('p', { tasks: [{ name: 'e', taskSpec: { steps: [step()], sidecar: [] } }], finaly: [] })),
        beta(pipelineRun({ pipelineRef: { name: 'p' }, serviceAccountNames: [] })),
      ]),
    ).toEqual([
      ['spec.steps.0.workingdir', 'error'],
      ['spec.finaly', 'error'],
      ['spec.tasks.0.taskSpec.sidecar', 'error'],
      ['spec.serviceAccountNames', 'error'],
    ]);
  });

  test('near: fields only v1beta1 declares are known there (serviceAccountName, podTemplate, timeout, resources), a case-folded name in an embedded spec passes', () => {
    expect(
      unknownFindings([
        beta(pipelineRun({ pipelineRef: { name: 'p' }, serviceAccountName: 'sa', timeout: '1h', podTemplate: {} })),
        beta(taskRun({ taskRef: { name: 't' }, serviceAccountName: 'sa', timeout: '1h' })),
        beta(task('t', { steps: [step()], resources: { inputs: [] } })),
        pipelineRun({ pipelineSpec: { tasks: [{ name: 'e', taskSpec: { steps: [step({ workingdir: '/ok' })] } }] } }),
      ]),
    ).toEqual([]);
  });
});

describe('kinds and versions Tekton v1.15.0 does not serve (issue 22)', () => {
  const doc = (apiVersion: string, kind: string, spec: object = {}): object => ({ apiVersion, kind, metadata: { name: 'x' }, spec });

  test.each([
    ['tekton.dev/v1alpha1', 'PipelineResource', /PipelineResources are gone/],
    ['tekton.dev/v1alpha1', 'Run', /became tekton\.dev\/v1beta1 CustomRun/],
    ['tekton.dev/v1alpha1', 'Condition', /use when expressions/],
    ['tekton.dev/v1beta1', 'ClusterTask', /ClusterTask is gone/],
    ['tekton.dev/v1', 'ClusterTask', /ClusterTask is gone/],
    ['tekton.dev/v1beta1', 'EventListener', /Triggers kind, served in triggers\.tekton\.dev/],
    ['tekton.dev/v1alpha1', 'TriggerTemplate', /Triggers kind/],
    ['tekton.dev/v1', 'CustomRun', /use "tekton\.dev\/v1beta1"/],
    ['tekton.dev/v1alpha1', 'Task', /use "tekton\.dev\/v1" or "tekton\.dev\/v1beta1"/],
    ['tekton.dev/v1', 'Widget', /the tekton\.dev kinds are Task, Pipeline/],
  ])('%s %s is an api-version-unserved error', (apiVersion, kind, advice) => {
    const findings = checkDocuments([doc(apiVersion, kind)]);
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['api-version-unserved', 'error']]);
    expect(findings[0].message).toMatch(
      new RegExp(
        `^${kind}/x (kind|apiVersion): the Tekton Pipelines v1\\.15\\.0 CRDs serve no ${kind} in "${apiVersion.replace(/\./g, '\\.')}"`,
      ),
    );
    expect(findings[0].message).toMatch(advice);
  });

  test('near: served kinds the rules do not judge, and the Triggers kinds in their own group, pass', () => {
    expect(
      checkDocuments([
        doc('tekton.dev/v1beta1', 'CustomRun', { customRef: { apiVersion: 'example.dev/v1', kind: 'Wait' } }),
        doc('tekton.dev/v1alpha1', 'VerificationPolicy', { resources: [{ pattern: '.*' }] }),
        doc('triggers.tekton.dev/v1beta1', 'EventListener', { labelSelector: {} }),
        doc('v1', 'ConfigMap'),
      ]),
    ).toEqual([]);
  });

  test('a document with no kind is an error named by its apiVersion; one with neither kind nor apiVersion is not a manifest', () => {
    const findings = checkDocuments([
      { apiVersion: 'v1', metadata: { name: 'cm' }, data: {} },
      { kind: 7, apiVersion: 'tekton.dev/v1', metadata: { name: 'n' } },
      { foo: 'bar' },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Object/cm kind: kind is missing (apiVersion "v1"), so kubectl and the API server refuse the document; set the kind',
      'Object/n kind: kind is the number 7, not a string (apiVersion "tekton.dev/v1"), so kubectl and the API server refuse the document; set the kind',
    ]);
  });
});

describe('v1beta1-field-removed', () => {
  const beta = (o: object): object => ({ ...o, apiVersion: 'tekton.dev/v1beta1' });
  const pathsOf = (documents: readonly object[]): string[] =>
    checkDocuments(documents)
      .filter((f) => f.rule === 'v1beta1-field-removed')
      .map((f) => f.message.split(':')[0]);

  test('resources in every place v1beta1 keeps them', () => {
    expect(
      pathsOf([
        beta(
          pipeline('p', {
            resources: [{ name: 'src', type: 'git' }],
            tasks: [
              { name: 'a', taskRef: { name: 'echo' }, resources: { inputs: [{ name: 'source', resource: 'src' }] } },
              { name: 'b', taskSpec: { steps: [step()], resources: { inputs: [{ name: 'source', type: 'git' }] } } },
            ],
          }),
        ),
        beta(taskRun({ taskRef: { name: 'echo' }, resources: { inputs: [] } })),
        beta(pipelineRun({ pipelineRef: { name: 'p' }, resources: [] })),
      ]),
    ).toEqual([
      'Pipeline/p spec.resources',
      'Pipeline/p spec.tasks[0].resources',
      'Pipeline/p spec.tasks[1].taskSpec.resources',
      'TaskRun/tr spec.resources',
      'PipelineRun/run-* spec.resources',
    ]);
  });

  test('a taskRef or pipelineRef bundle is refused (on create); the bundles resolver is not', () => {
    expect(
      pathsOf([
        beta(pipe({ tasks: [{ name: 'a', taskRef: { name: 'echo', bundle: 'reg.io/echo:1' } }] })),
        beta(pipelineRun({ pipelineRef: { name: 'p', bundle: 'reg.io/p:1' } })),
        beta(
          pipe({
            tasks: [
              {
                name: 'b',
                taskRef: {
                  resolver: 'bundles',
                  params: [
                    { name: 'bundle', value: 'reg.io/echo:1' },
                    { name: 'name', value: 'echo' },
                    { name: 'kind', value: 'task' },
                  ],
                },
              },
            ],
          }),
        ),
      ]),
    ).toEqual(['Pipeline/p spec.tasks[0].taskRef.bundle', 'PipelineRun/run-* spec.pipelineRef.bundle']);
  });

  test('near: the same fields in a tekton.dev/v1 object are not this rule (the v1 schema has no such field)', () => {
    expect(pathsOf([taskRun({ taskRef: { name: 'echo' }, resources: { inputs: [] } })])).toEqual([]);
  });
});

describe('ref-invalid (validateRef, as Tekton v1.15.0 judges every taskRef, pipelineRef and step ref)', () => {
  const refFindings = (documents: readonly object[], options?: CheckOptions): string[] =>
    checkDocuments(documents, options)
      .filter((f) => f.rule === 'ref-invalid')
      .map((f) => f.message);
  const gitParams = [
    { name: 'url', value: 'https://example.com/r.git' },
    { name: 'pathInRepo', value: 'task/echo.yaml' },
  ];

  test.each([
    [
      'a step ref name that is not a qualified name',
      taskSteps({ name: 's', ref: { name: '_foo' } }),
      /^Task\/t spec\.steps\[0\]\.ref\.name: name "_foo" is not a qualified name \(the name part must be/,
    ],
    [
      'a taskRef with params and no resolver',
      pipe({ tasks: [{ name: 'a', taskRef: { params: gitParams } }] }),
      /^Pipeline\/p spec\.tasks\[0\]\.taskRef\.params: params are set without a resolver/,
    ],
    [
      'a taskRef with name and params',
      pipe({ tasks: [{ name: 'a', taskRef: { name: 'echo', resolver: 'git', params: gitParams } }] }),
      /taskRef\.name: name "echo" is set beside params/,
    ],
    [
      'a taskRef with name and resolver',
      taskRun({ taskRef: { name: 'echo', resolver: 'git' } }),
      /^TaskRun\/tr spec\.taskRef\.name: name "echo" is set beside resolver "git" and is not a URL/,
    ],
    [
      'a pipelineRef name with two slashes',
      pipelineRun({ pipelineRef: { name: 'a/b/c' } }),
      /pipelineRef\.name: name "a\/b\/c" is not a qualified name \(a qualified name has at most one "\/"/,
    ],
    [
      'a URL name without resolver',
      taskRun({ taskRef: { name: 'https://example.com/task.yaml' } }),
      /taskRef\.resolver: the URL name .* needs a resolver/,
    ],
  ])('%s is refused', (_what, document, expected) => {
    const messages = refFindings([document]);
    expect(messages.length).toBeGreaterThanOrEqual(1);
    expect(messages[0]).toMatch(expected);
  });

  test('near: qualified names (with a prefix, dots, underscores inside), resolver with params, concise syntax with a resolver', () => {
    expect(
      refFindings(
        [
          taskSteps({ name: 's', ref: { name: 'example.com/my_action.v2' } }),
          pipe({
            tasks: [
              { name: 'a', taskRef: { resolver: 'git', params: gitParams } },
              { name: 'b', taskRef: { name: 'Echo.v1' } },
            ],
          }),
          taskRun({ taskRef: { name: 'https://example.com/task.yaml', resolver: 'http' } }),
          // a custom task's taskRef is validated as a custom task, not by validateRef
          pipe({ tasks: [{ name: 'c', taskRef: { apiVersion: 'example.dev/v1', kind: 'Wait', name: '_any' } }] }),
        ],
        { featureFlags: { 'enable-concise-resolver-syntax': 'true' } },
      ),
    ).toEqual([]);
  });
});

describe('step results are judged as Task results are (StepResult.Validate)', () => {
  test('a step result name like _MY-RESULT is refused; MY-RESULT and my_result are not', () => {
    const findings = checkDocuments([
      taskSteps(
        step({
          results: [
            { name: '_MY-RESULT' },
            { name: 'MY-RESULT' },
            { name: 'my_result', type: 'object', properties: { k: { type: 'string' } } },
          ],
        }),
      ),
    ]);
    expect(findings.map((f) => [f.rule, f.message.split(':')[0]])).toEqual([
      ['result-name-invalid', 'Task/t spec.steps[0].results[0].name'],
    ]);
  });

  test('a step object result without properties is refused', () => {
    const findings = checkDocuments([taskSteps(step({ results: [{ name: 'o', type: 'object' }] }))]);
    expect(findings.map((f) => f.rule)).toEqual(['result-type-invalid']);
  });
});

describe('matrix.include params are matrix params (Matrix.GetAllParams)', () => {
  const matrixed = (extra: object): object => pipe({ tasks: [pt('a', { params: [{ name: 'msg', value: 'hi' }], ...extra })] });
  test('an include param that is also a task param is refused', () => {
    const findings = checkDocuments([ECHO, matrixed({ matrix: { include: [{ name: 'one', params: [{ name: 'msg', value: 'x' }] }] } })]);
    expect(findings.filter((f) => f.rule === 'matrix-invalid').map((f) => f.message)).toEqual([
      'Pipeline/p spec.tasks[0].matrix.include[0].params[0].name: param "msg" is in both params and matrix.include; supply it in one of them',
    ]);
  });
  test('near: an include param the task does not also supply', () => {
    const findings = checkDocuments([ECHO, matrixed({ matrix: { include: [{ name: 'one', params: [{ name: 'n', value: '2' }] }] } })]);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('a pipeline result reference with two keys (NewResultRefs)', () => {
  test('$(tasks.a.results.obj.k.extra) is refused', () => {
    const findings = checkDocuments([ECHO, pipe({ tasks: [pt('a')], results: [{ name: 'r', value: '$(tasks.a.results.obj.k.extra)' }] })]);
    expect(findings.filter((f) => f.rule === 'pipeline-result-invalid').map((f) => [f.severity, f.message])).toEqual([
      [
        'error',
        'Pipeline/p spec.results[0].value: pipeline result "r" holds $(tasks.a.results.obj.k.extra), which is not a result reference Tekton can read (only one object key may follow a result name); use $(tasks.<task>.results.<result>) with at most one key',
      ],
    ]);
  });
  test('near: one key, and an index, are read', () => {
    const findings = checkDocuments([
      ECHO,
      pipe({
        tasks: [pt('a')],
        results: [
          { name: 'r', value: '$(tasks.a.results.obj.k)' },
          { name: 's', value: '$(tasks.a.results.arr[0])' },
        ],
      }),
    ]);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('Pipelines-as-Code placeholders (documents with pipelinesascode.tekton.dev/* annotations)', () => {
  const pacRun = (annotations: Record<string, string>): object => ({
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { name: '{{ repo_name }}-on-push', annotations },
    spec: {
      params: [
        { name: 'revision', value: '{{ revision }}' },
        { name: 'url', value: '{{repo_url}}' },
      ],
      pipelineSpec: {
        params: [{ name: 'revision' }, { name: 'url' }],
        tasks: [
          {
            name: 'build-{{ target_branch }}',
            taskSpec: { steps: [step({ script: 'echo $(params.revision) $(params.url)' })] },
            params: [{ name: 'revision', value: '$(params.revision)' }],
          },
        ],
      },
      workspaces: [{ name: 'auth', secret: { secretName: '{{ git_auth_secret }}' } }],
    },
  });

  test('read as unknown strings: templated names and values give no error', () => {
    const findings = checkDocuments([
      pacRun({ 'pipelinesascode.tekton.dev/on-event': '[push]', 'pipelinesascode.tekton.dev/on-target-branch': '[main]' }),
    ]);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('near: the same placeholders without PaC annotations are judged as written', () => {
    const findings = checkDocuments([pacRun({ 'example.com/owner': 'me' })]);
    expect(findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.message.split(':')[0]}`)).toEqual([
      'metadata-name-invalid PipelineRun/{{ repo_name }}-on-push metadata.name',
      'pipeline-task-name-invalid PipelineRun/{{ repo_name }}-on-push spec.pipelineSpec.tasks[0].name',
    ]);
  });

  test('what is wrong after PaC rendering is still found (a name that is wrong in its fixed part)', () => {
    const run = pacRun({ 'pipelinesascode.tekton.dev/on-event': '[push]' }) as { metadata: { name: string } };
    run.metadata.name = 'Bad_{{ revision }}';
    expect(
      checkDocuments([run])
        .filter((f) => f.severity === 'error')
        .map((f) => f.rule),
    ).toEqual(['metadata-name-invalid']);
  });

  // PaC creates the run with generateName NAME- (pkg/resolve/remote.go), as in openshift-pipelines/release-tests'
  // .tekton/upload-test-cases-to-polarion.yaml (name: upload-test-cases-polarion-)
  const nameErrors = (doc: object): string[] =>
    checkDocuments([doc])
      .filter((f) => f.rule === 'metadata-name-invalid')
      .map((f) => f.message);
  const withName = (metadata: object): object => ({ ...(pacRun({}) as object), metadata });
  const pac = { 'pipelinesascode.tekton.dev/on-event': '[push]' };
  test('a PaC run name ending in "-" is a generateName prefix PaC makes of it: accepted; a long one is cut by the API server', () => {
    expect(nameErrors(withName({ name: 'upload-test-cases-polarion-', annotations: pac }))).toEqual([]);
    expect(nameErrors(withName({ name: `${'a'.repeat(70)}`, annotations: pac }))).toEqual([]);
  });
  test('near: the same name without PaC annotations is judged as a name; a PaC name with "_" or capitals is still refused', () => {
    expect(nameErrors(withName({ name: 'upload-test-cases-polarion-', annotations: { 'example.com/owner': 'me' } }))).toEqual([
      'PipelineRun/upload-test-cases-polarion- metadata.name: name "upload-test-cases-polarion-" is not a DNS-1123 subdomain; use lowercase letters, digits, "-" and ".", starting and ending alphanumeric',
    ]);
    expect(nameErrors(withName({ name: 'pull_request', annotations: pac }))).toEqual([
      'PipelineRun/pull_request metadata.name: name "pull_request" is not a DNS-1123 subdomain, so the generateName "pull_request-" Pipelines-as-Code creates the run with is refused; use lowercase letters, digits, "-" and ".", starting alphanumeric',
    ]);
  });
});

describe('a value Pipelines-as-Code fills in ({{ placeholder }}) is unknown until run time: not judged by its format, as a Triggers variable', () => {
  const pacAnnotations = { 'pipelinesascode.tekton.dev/on-event': '[push]' };
  // a PaC PipelineRun whose pipelineSpec has a param "mode" (enum a, b) and a param "on-error" its task's onError reads
  const run = (spec: Record<string, unknown>, task: Record<string, unknown> = {}, stepExtra: object = {}): object => ({
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { name: 'r', annotations: pacAnnotations },
    spec: {
      pipelineSpec: {
        params: [
          { name: 'mode', enum: ['a', 'b'], default: 'a' },
          { name: 'on-error', default: 'continue' },
        ],
        tasks: [{ name: 't', taskSpec: { steps: [step(stepExtra)] }, ...task }],
      },
      ...spec,
    },
  });
  const errors = (doc: object): string[] =>
    checkDocuments([doc])
      .filter((f) => f.severity === 'error')
      .map((f) => `${f.rule} ${f.message.split(':')[0]}`);
  const cases: [string, (value: string) => object, string][] = [
    ['timeouts.pipeline (a duration)', (v) => run({ timeouts: { pipeline: v } }), 'timeout-invalid PipelineRun/r spec.timeouts.pipeline'],
    ['a pipeline task timeout', (v) => run({}, { timeout: v }), 'timeout-invalid PipelineRun/r spec.pipelineSpec.tasks[0].timeout'],
    ['spec.status (one Tekton knows)', (v) => run({ status: v }), 'run-field-invalid PipelineRun/r spec.status'],
    [
      'a pipeline task onError',
      (v) => run({}, { onError: v }),
      'pipeline-task-on-error-invalid PipelineRun/r spec.pipelineSpec.tasks[0].onError',
    ],
    [
      'a step onError',
      (v) => run({}, {}, { onError: v }),
      'step-on-error-invalid PipelineRun/r spec.pipelineSpec.tasks[0].taskSpec.steps[0].onError',
    ],
    [
      'a param value against its enum',
      (v) => run({ params: [{ name: 'mode', value: v }] }),
      'param-value-not-in-enum PipelineRun/r spec.params[0].value',
    ],
    [
      'a param value an onError reads',
      (v) => run({ params: [{ name: 'on-error', value: v }] }, { onError: '$(params.on-error)' }),
      'pipeline-task-on-error-invalid PipelineRun/r spec.params[0]',
    ],
  ];
  test.each(cases)('%s: a wrong literal in a PaC document is still refused', (_what, make, finding) => {
    expect(errors(make('bogus_value'))).toEqual([finding]);
  });
  test.each(cases)('near, %s: the same field holding a PaC placeholder gives no finding', (_what, make) => {
    expect(errors(make('{{ some_var }}'))).toEqual([]);
    expect(errors(make('x-{{ some_var }}'))).toEqual([]);
  });
  test('near: a PaC timeouts.pipeline bounds nothing known, so tasks and finally are not compared with it; a literal one still bounds them', () => {
    expect(errors(run({ timeouts: { pipeline: '{{ timeout }}', tasks: '2h' } }))).toEqual([]);
    expect(errors(run({ timeouts: { pipeline: '1h', tasks: '2h' } }))).toEqual(['timeout-invalid PipelineRun/r spec.timeouts.tasks']);
  });
  test('a taskRef name PaC fills in is not judged as a qualified name; a wrong literal one still is', () => {
    const withRef = (name: string): object => run({}, { taskSpec: undefined, taskRef: { name } });
    const refErrors = (doc: object): string[] => errors(doc).filter((e) => e.startsWith('ref-invalid'));
    expect(refErrors(withRef('-{{ task }}'))).toEqual([]);
    expect(refErrors(withRef('-task'))).toEqual(['ref-invalid PipelineRun/r spec.pipelineSpec.tasks[0].taskRef.name']);
  });
  test('near: without PaC annotations the placeholder is a literal, judged as written', () => {
    const doc = run({ status: '{{ some_var }}' }) as { metadata: { annotations: object } };
    doc.metadata.annotations = { 'example.com/owner': 'me' };
    expect(errors(doc)).toEqual(['run-field-invalid PipelineRun/r spec.status']);
  });
});

describe('metadata.generateName (k8s.io/apimachinery ValidateObjectMeta: a DNS-1123 subdomain once a trailing "-" is read as a letter)', () => {
  const run = (metadata: object): object => ({ ...(pipelineRun({ pipelineRef: { name: 'p' } }) as object), metadata });
  const nameErrors = (doc: object): string[] =>
    checkDocuments([doc])
      .filter((f) => f.rule === 'metadata-name-invalid')
      .map((f) => f.message.split(':')[0]);
  test('a generateName that is no DNS-1123 subdomain prefix is refused', () => {
    expect(nameErrors(run({ generateName: 'Train_' }))).toEqual(['PipelineRun/Train_* metadata.generateName']);
    expect(nameErrors(run({ generateName: '-train' }))).toEqual(['PipelineRun/-train* metadata.generateName']);
  });
  test('near: "train-", "train" and "a.b-" are accepted; with a name, the name is judged', () => {
    expect(nameErrors(run({ generateName: 'train-' }))).toEqual([]);
    expect(nameErrors(run({ generateName: 'train' }))).toEqual([]);
    expect(nameErrors(run({ generateName: 'a.b-' }))).toEqual([]);
    expect(nameErrors(run({ name: 'ok', generateName: 'Bad_' }))).toEqual([]);
  });
});

describe("a step's when is validated as a pipeline task's (WhenExpressions.validate from validateSteps)", () => {
  const celStep = taskSteps(step({ when: [{ cel: "'$(params.x)' == 'a'" }] }));
  test('cel in a step when needs enable-cel-in-whenexpression', () => {
    const findings = checkDocuments([celStep], { featureFlags: { 'enable-api-fields': 'alpha' } });
    expect(findings.filter((f) => f.rule === 'feature-disabled').map((f) => f.message.split(':')[0])).toEqual([
      'Task/t spec.steps[0].when[0].cel',
    ]);
  });
  test('a step when with a bad operator is refused', () => {
    const findings = checkDocuments([taskSteps(step({ when: [{ input: 'a', operator: 'is', values: ['a'] }] }))]);
    expect(findings.filter((f) => f.rule === 'when-expression-invalid').map((f) => f.message.split(':')[0])).toEqual([
      'Task/t spec.steps[0].when[0].operator',
    ]);
  });
  test('near: with the flag on, and a well-formed input/operator/values form', () => {
    expect(
      checkDocuments([celStep], { featureFlags: { 'enable-api-fields': 'alpha', 'enable-cel-in-whenexpression': 'true' } }).filter(
        (f) => f.severity === 'error',
      ),
    ).toEqual([]);
    expect(
      checkDocuments([taskSteps(step({ when: [{ input: 'a', operator: 'in', values: ['a'] }] }))]).filter((f) => f.severity === 'error'),
    ).toEqual([]);
  });
});

describe('result-value-invalid shapes', () => {
  const messagesFor = (value: unknown): string[] =>
    checkDocuments([taskWith({ results: [{ name: 'r', value }] })])
      .filter((f) => f.rule === 'result-value-invalid')
      .map((f) => f.message);
  test.each([
    ['not a step result reference', 'constant', /has value "constant"; expected \$\(steps\.<step>\.results\.<result>\)/],
    ['an invalid result name', '$(steps.build.results._R)', /result name "_R" must hold only/],
    ['a list', ['$(steps.build.results.r)'], /has a list as value/],
  ])('%s is refused', (_what, value, expected) => {
    expect(messagesFor(value)).toEqual([expect.stringMatching(expected)]);
  });
});

describe("mount paths compare as Go's filepath.Clean reads them", () => {
  const withMount = (mountPath: string): object =>
    task('t', {
      workspaces: [{ name: 'src' }],
      steps: [step({ volumeMounts: [{ name: 'v', mountPath }] })],
      volumes: [{ name: 'v', emptyDir: {} }],
    });
  test("a volumeMount at the workspace's default path with a trailing slash clashes with it", () => {
    expect(checkDocuments([withMount('/workspace/src/')]).map((f) => f.message)).toEqual([
      'Task/t spec.workspaces[0].mountPath: workspace "src" mounts at "/workspace/src", a path already used by another workspace or volumeMount',
    ]);
  });
  test('near: /tekton/ itself cleans to /tekton, which is not under /tekton/; another path does not clash', () => {
    expect(checkDocuments([withMount('/workspace/source/')]).filter((f) => f.severity === 'error')).toEqual([]);
    expect(checkDocuments([withMount('/tekton/')]).filter((f) => f.rule === 'volume-mount-reserved')).toEqual([]);
    expect(checkDocuments([withMount('/tekton/results/')]).map((f) => f.rule)).toEqual(['volume-mount-reserved']);
  });
});

describe('artifact references need enable-artifacts (validateArtifactsReferencesInStep)', () => {
  const flagsOff = { featureFlags: { 'enable-api-fields': 'alpha' } };
  test.each([
    ['$(step.artifacts.path) in a script', step({ script: 'echo x > $(step.artifacts.path)' }), 'Task/t spec.steps[0].script'],
    [
      '$(steps.s.outputs.image) in an env value',
      step({ env: [{ name: 'IMG', value: '$(steps.build.outputs.image)' }] }),
      'Task/t spec.steps[0].env[0].value',
    ],
    ['$(tasks.t.inputs.src) in args', step({ args: ['$(tasks.fetch.inputs.src)'] }), 'Task/t spec.steps[0].args[0]'],
  ])('%s is refused with the flag off', (_what, s, where) => {
    const findings = checkDocuments([taskSteps(s)], flagsOff);
    expect(findings.filter((f) => f.rule === 'feature-disabled').map((f) => f.message.split(':')[0])).toEqual([where]);
  });
  test('near: with enable-artifacts on, or without --feature-flags, no finding', () => {
    const s = step({ script: 'echo x > $(step.artifacts.path)' });
    expect(
      checkDocuments([taskSteps(s)], { featureFlags: { 'enable-api-fields': 'alpha', 'enable-artifacts': 'true' } }).filter(
        (f) => f.rule === 'feature-disabled',
      ),
    ).toEqual([]);
    expect(checkDocuments([taskSteps(s)]).filter((f) => f.rule === 'feature-disabled')).toEqual([]);
  });
});

describe('step-reference-misplaced places', () => {
  test('a step result reference in a script is refused; a step artifact reference in a script is not this rule', () => {
    const findings = checkDocuments([
      task('t', {
        steps: [
          step({ name: 'a', results: [{ name: 'r' }] }),
          step({ name: 'b', script: 'echo $(steps.a.results.r) > $(step.artifacts.path)' }),
        ],
      }),
    ]);
    expect(findings.filter((f) => f.rule === 'step-reference-misplaced').map((f) => f.message)).toEqual([
      'Task/t spec.steps[1].script: $(steps.a.results.r) is a step result reference, which Tekton allows only in env, command and args',
    ]);
  });
  test('a step artifact reference in workingDir is refused', () => {
    const findings = checkDocuments([taskSteps(step({ workingDir: '$(steps.a.outputs.image)' }))]);
    expect(findings.filter((f) => f.rule === 'step-reference-misplaced').map((f) => f.message.split(':')[0])).toEqual([
      'Task/t spec.steps[0].workingDir',
    ]);
  });
});

describe("PipelineRun taskRunSpecs are judged as a TaskRun's own fields (validateTaskRunSpec)", () => {
  const run = (trs: object): object =>
    pipelineRun({
      pipelineSpec: { tasks: [{ name: 'a', taskSpec: { steps: [step()], sidecars: [{ name: 'side', image: 'alpine' }] } }] },
      taskRunSpecs: [{ pipelineTaskName: 'a', ...trs }],
    });
  const messages = (trs: object, flags?: Record<string, string>): string[] =>
    checkDocuments([run(trs)], flags ? { featureFlags: flags } : {})
      .filter((f) => f.severity === 'error')
      .map((f) => `${f.rule} ${f.message.split(':')[0]}`);
  test('computeResources beside stepSpecs resources, duplicate sidecarSpecs names, the beta gate', () => {
    expect(
      messages({ computeResources: { limits: { cpu: '1' } }, stepSpecs: [{ name: 's', computeResources: { limits: { cpu: '2' } } }] }),
    ).toEqual(['run-field-invalid PipelineRun/run-* spec.taskRunSpecs[0].stepSpecs[0].computeResources']);
    expect(messages({ sidecarSpecs: [{ name: 'side' }, { name: 'Side' }] })).toEqual([
      'run-field-invalid PipelineRun/run-* spec.taskRunSpecs[0].sidecarSpecs[1].name',
    ]);
    expect(messages({ stepSpecs: [{ name: 's', computeResources: {} }] }, { 'enable-api-fields': 'stable' })).toEqual([
      'feature-disabled PipelineRun/run-* spec.taskRunSpecs[0].stepSpecs',
    ]);
  });
  test('near: one of computeResources or stepSpecs resources, distinct names, beta on', () => {
    expect(
      messages({ computeResources: { limits: { cpu: '1' } }, sidecarSpecs: [{ name: 'side' }] }, { 'enable-api-fields': 'beta' }),
    ).toEqual([]);
    expect(messages({ stepSpecs: [{ name: 's', computeResources: { limits: { cpu: '2' } } }] })).toEqual([]);
  });
  test("a TaskRun's own stepSpecs with a repeated name", () => {
    const findings = checkDocuments([
      taskRun({
        taskSpec: { steps: [step()] },
        stepSpecs: [
          { name: 's', computeResources: {} },
          { name: 'S', computeResources: {} },
        ],
      }),
    ]);
    expect(findings.filter((f) => f.rule === 'run-field-invalid').map((f) => f.message.split(':')[0])).toEqual([
      'TaskRun/tr spec.stepSpecs[1].name',
    ]);
  });
});

describe("a taskRunSpecs timeout against the PipelineRun's (validateTaskRunSpecTimeout)", () => {
  const run = (timeout: string, timeouts?: object): object =>
    pipelineRun({
      pipelineSpec: { tasks: [{ name: 'a', taskSpec: { steps: [step()] } }] },
      taskRunSpecs: [{ pipelineTaskName: 'a', timeout }],
      ...(timeouts ? { timeouts } : {}),
    });
  const timeoutFindings = (timeout: string, timeouts?: object): string[] =>
    checkDocuments([run(timeout, timeouts)])
      .filter((f) => f.rule === 'timeout-invalid')
      .map((f) => f.message);
  test('longer than the default 60 minutes, than timeouts.tasks, than timeouts.pipeline', () => {
    expect(timeoutFindings('2h')).toEqual([
      'PipelineRun/run-* spec.taskRunSpecs[0].timeout: taskRunSpecs timeout "2h" is longer than the default pipeline timeout (1h0m0s); Tekton wants it <= that',
    ]);
    expect(timeoutFindings('40m', { pipeline: '2h', tasks: '30m' })).toEqual([
      expect.stringContaining('longer than timeouts.tasks (30m0s)'),
    ]);
    expect(timeoutFindings('3h', { pipeline: '2h' })).toEqual([expect.stringContaining('longer than timeouts.pipeline (2h0m0s)')]);
  });
  test('near: within the limit, or a limit of 0 (no timeout)', () => {
    expect(timeoutFindings('1h')).toEqual([]);
    expect(timeoutFindings('3h', { pipeline: '0' })).toEqual([]);
    expect(timeoutFindings('90m', { pipeline: '2h' })).toEqual([]);
  });
});

describe('a whole param handed to a StepAction param from a step (ParamValue.applyOrCorrect at run time)', () => {
  const action = stepAction('cache', {
    image: 'alpine',
    params: [
      { name: 'patterns', type: 'array' },
      { name: 'config', properties: { a: {} } },
    ],
    args: ['$(params.patterns[*])'],
    env: [{ name: 'A', value: '$(params.config.a)' }],
  });
  const owner = (stepParams: object[]): object =>
    task('t', {
      params: [
        { name: 'cachePatterns', type: 'array' },
        { name: 'cfg', properties: { a: {} } },
      ],
      steps: [{ name: 'use', ref: { name: 'cache' }, params: stepParams }],
    });
  const misplaced = (stepParams: object[]): string[] =>
    checkDocuments([action, owner(stepParams)])
      .filter((f) => f.rule === 'param-whole-value-misplaced')
      .map((f) => f.message);

  test('an isolated $(params.x) or $(params.x[*]) of an array or object param is the whole value: accepted', () => {
    expect(
      misplaced([
        { name: 'patterns', value: '$(params.cachePatterns)' },
        { name: 'config', value: '$(params.cfg)' },
      ]),
    ).toEqual([]);
    expect(misplaced([{ name: 'patterns', value: '$(params.cachePatterns[*])' }])).toEqual([]);
    expect(misplaced([{ name: 'patterns', value: ['$(params.cachePatterns[*])', 'extra'] }])).toEqual([]);
  });

  test('near: the array inside a longer string still fires', () => {
    expect(misplaced([{ name: 'patterns', value: 'x-$(params.cachePatterns)' }])).toEqual([
      'Task/t spec.steps[0].params[0].value: $(params.cachePatterns) uses array param "cachePatterns" whole in a string value with other text around it (an array fits only as the entire value); index it ($(params.cachePatterns[0])) or move it',
    ]);
  });
});

describe("a PipelineRun's timeouts after defaulting (validatePipelineTimeout with SetDefaults' 60-minute pipeline timeout)", () => {
  const run = (timeouts: object): object =>
    pipelineRun({ pipelineSpec: { tasks: [{ name: 'a', taskSpec: { steps: [step()] } }] }, timeouts });
  const refused = (timeouts: object): string[] =>
    checkDocuments([run(timeouts)])
      .filter((f) => f.rule === 'timeout-invalid')
      .map((f) => f.message.replace(/^\S+ /, ''));

  test.each([
    [{ finally: '0s' }, 'spec.timeouts.finally: timeouts.finally "0s" (no timeout) exceeds the default pipeline timeout (1h0m0s'],
    [{ tasks: '0' }, 'spec.timeouts.tasks: timeouts.tasks "0" (no timeout) exceeds the default pipeline timeout'],
    [{ tasks: '2h' }, 'spec.timeouts.tasks: timeouts.tasks "2h" exceeds the default pipeline timeout'],
    [{ pipeline: '10m', finally: '0s' }, 'spec.timeouts.finally: timeouts.finally "0s" (no timeout) exceeds timeouts.pipeline "10m"'],
    [
      { tasks: '40m', finally: '30m' },
      'spec.timeouts.tasks: timeouts.tasks "40m" + timeouts.finally "30m" exceed the default pipeline timeout',
    ],
    [
      { pipeline: '0', tasks: '1h', finally: '10m' },
      'exceed timeouts.pipeline "0" (Tekton v1.15.0 compares the sum even with no pipeline timeout',
    ],
  ])('%j is refused', (timeouts, message) => {
    expect(refused(timeouts)).toEqual([expect.stringContaining(message)]);
  });

  test.each([
    [{ tasks: '50m' }],
    [{ finally: '10m' }],
    [{ tasks: '50m', finally: '10m' }],
    [{ pipeline: '0', tasks: '0', finally: '0' }],
    [{ pipeline: '0', tasks: '30m' }],
    [{ pipeline: '0', finally: '0s' }],
    [{ pipeline: '2h', tasks: '90m', finally: '30m' }],
  ])('near: %j is accepted', (timeouts) => {
    expect(refused(timeouts)).toEqual([]);
  });
});

describe('result references to a pipeline task that runs a Pipeline (validatePipelineRefResultReferencesDisallowed)', () => {
  const child = { name: 'child', pipelineRef: { name: 'inner' } };
  const refs = (consumer: object, producer: object = child): Array<[string, string]> =>
    checkDocuments([pipe({ tasks: [producer, consumer] })])
      .filter((f) => f.rule === 'task-result-from-child-pipeline')
      .map((f) => [f.path.join('.'), f.message]);

  test('in params, when and an embedded step, to a pipelineRef or pipelineSpec task', () => {
    expect(refs({ ...(pt('a') as object), params: [{ name: 'msg', value: 'v=$(tasks.child.results.version)' }] })).toEqual([
      [
        'spec.tasks.1.params.0.value',
        'Pipeline/p spec.tasks[1].params[0].value: $(tasks.child.results.version) reads a result of "child", which runs a Pipeline (pipelineRef); Tekton refuses result references to a child Pipeline (their results are not propagated)',
      ],
    ]);
    const inline = { name: 'child', pipelineSpec: { tasks: [{ name: 'x', taskSpec: { steps: [step()] } }] } };
    expect(refs({ ...(pt('a') as object), when: [{ input: '$(tasks.child.results.ok)', operator: 'in', values: ['y'] }] }, inline)).toEqual(
      [['spec.tasks.1.when.0.input', expect.stringContaining('which runs a Pipeline (pipelineSpec)')]],
    );
    expect(refs({ name: 'a', taskSpec: { steps: [step({ script: 'echo $(tasks.child.results.v)' })] } })).toHaveLength(1);
  });

  test('near: a result of a task that runs a Task, and runAfter a child Pipeline, are not refused', () => {
    expect(refs({ ...(pt('a') as object), runAfter: ['child'] })).toEqual([]);
    expect(refs(pt('a', { params: [{ name: 'msg', value: '$(tasks.b.results.out)' }] }), pt('b'))).toEqual([]);
  });
});

describe('task artifact references in pipeline task params need enable-artifacts (validateArtifactReference)', () => {
  const pipelineWith = (value: unknown): object => pipe({ tasks: [pt('b'), pt('a', { params: [{ name: 'msg', value }] })] });
  const disabled = (value: unknown, flags: Record<string, string> = {}): string[] =>
    checkDocuments([ECHO, pipelineWith(value)], { featureFlags: { 'enable-param-enum': 'true', ...flags } })
      .filter((f) => f.rule === 'feature-disabled')
      .map((f) => f.message);

  test('$(tasks.t.outputs.x) and $(tasks.t.inputs.x) with enable-artifacts off are refused, in a string, array item or object value', () => {
    expect(disabled('$(tasks.b.outputs.image)')).toEqual([
      'Pipeline/p spec.tasks[1].params[0].value: $(tasks.b.outputs.image) is an artifact reference, which needs feature flag enable-artifacts: "true"',
    ]);
    expect(disabled(['x', 'from $(tasks.b.inputs.src)'])).toEqual([
      expect.stringContaining('spec.tasks[1].params[0].value[1]: $(tasks.b.inputs.src)'),
    ]);
    expect(disabled({ k: '$(tasks.b.outputs.image)' })).toHaveLength(1);
  });

  test('near: with enable-artifacts on, without --feature-flags, or a result reference, nothing', () => {
    expect(disabled('$(tasks.b.outputs.image)', { 'enable-artifacts': 'true' })).toEqual([]);
    expect(disabled('$(tasks.b.results.out)')).toEqual([]);
    expect(checkDocuments([ECHO, pipelineWith('$(tasks.b.outputs.image)')]).filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('Pipelines-as-Code remote tasks: annotated tasks resolved as PaC resolves them (pkg/resolve, issue 22)', () => {
  const pacRun = (annotations: Record<string, string>, tasks: object[]): object => ({
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { name: 'on-push', annotations: { 'pipelinesascode.tekton.dev/on-event': '[push]', ...annotations } },
    spec: { pipelineSpec: { workspaces: [{ name: 'ws' }], tasks }, workspaces: [{ name: 'ws', emptyDir: {} }] },
  });
  const other = task('echo', { params: [{ name: 'other', default: 'x' }], workspaces: [{ name: 'src' }], steps: [step()] });
  const gitClone = task('git-clone', { params: [{ name: 'url' }], steps: [step()] });
  const use = (name: string, taskRef: object = { name }): object => ({ name, taskRef, workspaces: [{ name: 'src', workspace: 'ws' }] });
  const judge = (documents: readonly object[], documentSources: readonly string[]) =>
    checkDocuments(documents, { documentSources }).map((f) => [f.severity, f.rule, f.message.replace(/^\S+ \S+: /, '')]);

  test('a Task PaC inlines is judged as the embedded taskSpec Tekton sees: binding a workspace it does not declare is accepted', () => {
    const bare = task('switchboard', { steps: [step()] });
    const bindings = (documents: readonly object[], sources: readonly string[]) =>
      judge(documents, sources).filter((f) => f[1] === 'workspace-binding-undeclared');
    expect(bindings([bare, pacRun({}, [use('switchboard')])], ['repo/.tekton/switchboard.yaml', 'repo/.tekton/on-push.yaml'])).toEqual([]);
    // near: the same reference from a plain Pipeline is a reference, and Tekton refuses the binding
    const plain = {
      apiVersion: 'tekton.dev/v1',
      kind: 'Pipeline',
      metadata: { name: 'p' },
      spec: { workspaces: [{ name: 'ws' }], tasks: [use('switchboard')] },
    };
    expect(bindings([bare, plain], ['repo/task/switchboard.yaml', 'repo/pipelines/p.yaml'])).toHaveLength(1);
  });

  test('an annotated repository file wins over a .tekton/ Task of that name; a Hub task is a note, never a local look-alike', () => {
    const run = pacRun({ 'pipelinesascode.tekton.dev/task': '[share/echo.yaml, git-clone:0.9]' }, [use('echo'), use('git-clone')]);
    const findings = judge(
      [other, ECHO, gitClone, run],
      ['repo/.tekton/echo.yaml', 'repo/share/echo.yaml', 'repo/task/git-clone/0.9/git-clone.yaml', 'repo/.tekton/on-push.yaml'],
    );
    expect(findings).toEqual([
      // judged against share/echo.yaml, which needs msg
      ['error', 'param-missing', expect.stringContaining('Task/echo')],
      [
        'note',
        'remote-reference',
        'Pipelines-as-Code fetches the Task from the Hub ("git-clone:0.9") (its task annotation) at run time and inlines it: not checked',
      ],
    ]);
  });

  test('near: without the annotation, the .tekton/ Task of that name is the one (not one elsewhere in the repository)', () => {
    const run = pacRun({}, [use('echo')]);
    expect(judge([other, ECHO, run], ['repo/.tekton/tasks/echo.yaml', 'repo/share/echo.yaml', 'repo/.tekton/on-push.yaml'])).toEqual([]);
    expect(judge([ECHO, other, run], ['repo/.tekton/tasks/echo.yaml', 'repo/share/echo.yaml', 'repo/.tekton/on-push.yaml'])).toEqual([
      ['error', 'param-missing', expect.stringContaining('Task/echo')],
    ]);
  });

  test('a Task neither in .tekton/ nor annotated is a note that PaC refuses the run; beside annotated remote tasks, a note that it must be one', () => {
    const run = pacRun({}, [use('echo')]);
    expect(judge([ECHO, run], ['repo/share/echo.yaml', 'repo/.tekton/on-push.yaml'])).toEqual([
      [
        'note',
        'ref-not-found',
        'no Task named "echo" is in repo/.tekton/ or among the files its pipelinesascode.tekton.dev annotations name: not checked (Pipelines-as-Code refuses the run: "cannot find referenced task")',
      ],
    ]);
    const withUrl = pacRun({ 'pipelinesascode.tekton.dev/task-1': 'https://example.com/raw/main/build.yaml' }, [use('echo'), use('build')]);
    expect(judge([ECHO, withUrl], ['repo/share/echo.yaml', 'repo/.tekton/on-push.yaml'])).toEqual([
      [
        'note',
        'remote-reference',
        'no Task named "echo" is in repo/.tekton/, so it must be what Pipelines-as-Code fetches at run time from URL "https://example.com/raw/main/build.yaml" (its annotations): not checked',
      ],
      ['note', 'remote-reference', expect.stringContaining('fetches the Task from URL "https://example.com/raw/main/build.yaml"')],
    ]);
  });

  test('a pipelinesascode.tekton.dev/pipeline from a URL is fetched by PaC: a pipelineRef of its name is a note', () => {
    const run = {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'r', annotations: { 'pipelinesascode.tekton.dev/pipeline': 'https://example.com/raw/p.yaml' } },
      spec: { pipelineRef: { name: 'p' } },
    };
    const local = pipeline('p', { params: [{ name: 'needed' }], tasks: [{ name: 'a', taskSpec: { steps: [step()] } }] });
    expect(judge([local, run], ['repo/pipelines/p.yaml', 'repo/.tekton/r.yaml']).map((f) => f[1])).toEqual(['remote-reference']);
  });

  test('near: a PipelineRun without PaC annotations resolves by the ordinary lookup', () => {
    const run = { ...(pacRun({}, [use('echo')]) as { metadata: object }), metadata: { name: 'plain' } };
    expect(judge([ECHO, run], ['repo/share/echo.yaml', 'repo/.tekton/plain.yaml']).map((f) => f[1])).toEqual(['param-missing']);
  });
});
