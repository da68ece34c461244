import { Duration, Testing } from 'cdk8s';
import { EmbeddedTask, Task, TaskContext } from '../src/tekton';
import { crdSchemaSkipReason, schemaProblemsWithEmbeddedSpecs } from './support/crd-schema';

const schemaReason = crdSchemaSkipReason();
if (schemaReason) console.log(schemaReason);

/** Every object, and every spec embedded in it, must pass the v1.15.0 CRD schema with nothing pruned. */
function expectSchemaClean(objects: unknown[]) {
  if (schemaReason) return;
  expect(schemaProblemsWithEmbeddedSpecs(objects)).toBe('');
}

describe('Task', () => {
  test('renders params of every type with defaults, enums and descriptions', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new Task(chart, 'task', {
      metadata: { name: 'train' },
      description: 'trains a model',
      displayName: 'Train',
      params: {
        'model-name': { description: 'file name', enum: ['a.keras', 'b.pth'], default: 'a.keras' },
        plain: {},
        flags: { type: 'array', default: ['-q', '-v'] },
        source: { type: 'object', properties: { url: {}, revision: { type: 'string' } }, default: { url: 'u', revision: 'r' } },
      },
      steps: [{ name: 'noop', image: 'busybox', script: 'true' }],
    });
    // THEN
    const objects = Testing.synth(chart);
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({
      apiVersion: 'tekton.dev/v1',
      kind: 'Task',
      metadata: { name: 'train' },
      spec: {
        description: 'trains a model',
        displayName: 'Train',
        params: [
          { name: 'model-name', type: 'string', description: 'file name', enum: ['a.keras', 'b.pth'], default: 'a.keras' },
          { name: 'plain', type: 'string' },
          { name: 'flags', type: 'array', default: ['-q', '-v'] },
          {
            name: 'source',
            type: 'object',
            properties: { url: { type: 'string' }, revision: { type: 'string' } },
            default: { url: 'u', revision: 'r' },
          },
        ],
      },
    });
    expect(objects[0].spec.params[1]).toEqual({ name: 'plain', type: 'string' });
    expectSchemaClean(objects);
  });

  test('renders results of every type and workspaces with their options', () => {
    const chart = Testing.chart();
    new Task(chart, 'task', {
      metadata: { name: 'build' },
      results: {
        digest: { description: 'sha256' },
        files: { type: 'array' },
        model_ARTIFACT_OUTPUTS: { type: 'object', properties: { uri: {}, digest: {}, isBuildArtifact: {} } },
      },
      workspaces: {
        source: { description: 'the repo' },
        cache: { optional: true, readOnly: true, mountPath: '/cache' },
      },
      steps: [{ name: 'noop', image: 'busybox', script: 'true' }],
    });
    const [task] = Testing.synth(chart);
    expect(task.spec.results).toEqual([
      { name: 'digest', type: 'string', description: 'sha256' },
      { name: 'files', type: 'array' },
      {
        name: 'model_ARTIFACT_OUTPUTS',
        type: 'object',
        properties: { uri: { type: 'string' }, digest: { type: 'string' }, isBuildArtifact: { type: 'string' } },
      },
    ]);
    expect(task.spec.workspaces).toEqual([
      { name: 'source', description: 'the repo' },
      { name: 'cache', optional: true, readOnly: true, mountPath: '/cache' },
    ]);
    expectSchemaClean([task]);
  });

  test('renders steps with script or command/args, env, workingDir, securityContext, computeResources, onError and timeout', () => {
    const chart = Testing.chart();
    const task = new Task(chart, 'task', {
      metadata: { name: 'steps' },
      params: { url: {}, args: { type: 'array' } },
      workspaces: { src: {} },
    });
    const hardened = {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    };
    const returned = task.addStep({
      name: 'fetch',
      image: 'alpine/git@sha256:0123',
      script: `git clone ${task.params.url} ${task.workspaces.src}`,
      env: { HOME: '/tekton/home', RUN: TaskContext.taskRunName, TOKEN: { valueFrom: { secretKeyRef: { name: 'git', key: 'token' } } } },
      workingDir: task.workspaces.src.path,
      securityContext: hardened,
      computeResources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } },
      onError: 'continue',
      timeout: Duration.minutes(90),
    });
    task.addStep({
      name: 'list',
      image: task.params.url,
      command: ['ls'],
      args: ['-l', task.params.args],
      timeout: '30s',
      imagePullPolicy: 'IfNotPresent',
    });
    expect(returned.name).toBe('fetch');
    const [object] = Testing.synth(chart);
    expect(object.spec.steps).toEqual([
      {
        name: 'fetch',
        image: 'alpine/git@sha256:0123',
        script: 'git clone $(params.url) $(workspaces.src.path)',
        env: [
          { name: 'HOME', value: '/tekton/home' },
          { name: 'RUN', value: '$(context.taskRun.name)' },
          { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'git', key: 'token' } } },
        ],
        workingDir: '$(workspaces.src.path)',
        securityContext: hardened,
        computeResources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } },
        onError: 'continue',
        timeout: '1h30m0s',
      },
      {
        name: 'list',
        image: '$(params.url)',
        command: ['ls'],
        args: ['-l', '$(params.args[*])'],
        timeout: '30s',
        imagePullPolicy: 'IfNotPresent',
      },
    ]);
    expectSchemaClean([object]);
  });

  test('renders a step template and sidecars', () => {
    const chart = Testing.chart();
    const task = new Task(chart, 'task', {
      metadata: { name: 'with-sidecar' },
      stepTemplate: {
        image: 'python:3.11',
        env: { PYTHONUNBUFFERED: '1' },
        securityContext: { runAsNonRoot: true },
        computeResources: { limits: { memory: '1Gi' } },
      },
      steps: [{ name: 'a', script: 'python -V' }],
      sidecars: [{ name: 'registry', image: 'registry:2', computeResources: { requests: { cpu: '100m' } } }],
    });
    task.addSidecar({ name: 'db', image: 'postgres:16', env: { POSTGRES_PASSWORD: 'x' }, script: 'exec postgres' });
    const [object] = Testing.synth(chart);
    expect(object.spec.stepTemplate).toEqual({
      image: 'python:3.11',
      env: [{ name: 'PYTHONUNBUFFERED', value: '1' }],
      securityContext: { runAsNonRoot: true },
      computeResources: { limits: { memory: '1Gi' } },
    });
    expect(object.spec.steps).toEqual([{ name: 'a', script: 'python -V' }]);
    expect(object.spec.sidecars).toEqual([
      { name: 'registry', image: 'registry:2', computeResources: { requests: { cpu: '100m' } } },
      { name: 'db', image: 'postgres:16', env: [{ name: 'POSTGRES_PASSWORD', value: 'x' }], script: 'exec postgres' },
    ]);
    expectSchemaClean([object]);
  });

  test('renders volumes that steps mount', () => {
    const chart = Testing.chart();
    const task = new Task(chart, 'task', {
      metadata: { name: 'with-volumes' },
      volumes: [{ name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }],
      steps: [
        {
          name: 'a',
          image: 'busybox',
          script: 'touch /tmp/x',
          securityContext: { readOnlyRootFilesystem: true },
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        },
      ],
    });
    const returned = task.addVolume({
      name: 'creds',
      secret: { secretName: 'git', items: [{ key: 'token', path: 'token', mode: 0o400 }] },
    });
    task.addVolume({ name: 'conf', configMap: { name: 'settings', optional: true } });
    task.addVolume({ name: 'cache', persistentVolumeClaim: { claimName: 'pip-cache', readOnly: true } });
    expect(returned.name).toBe('creds');
    const [object] = Testing.synth(chart);
    expect(object.spec.volumes).toEqual([
      { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      { name: 'creds', secret: { secretName: 'git', items: [{ key: 'token', path: 'token', mode: 256 }] } },
      { name: 'conf', configMap: { name: 'settings', optional: true } },
      { name: 'cache', persistentVolumeClaim: { claimName: 'pip-cache', readOnly: true } },
    ]);
    expect(object.spec.steps[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expectSchemaClean([object]);
  });

  test('a volume without exactly one source, or declared twice, throws at once', () => {
    const task = new Task(Testing.chart(), 'task', { volumes: [{ name: 'tmp', emptyDir: {} }] });
    expect(() => task.addVolume({ name: 'none' })).toThrow(
      '[test/task] volume "none" needs exactly one source (emptyDir, secret, configMap, persistentVolumeClaim, projected), got none',
    );
    expect(() => task.addVolume({ name: 'two', emptyDir: {}, configMap: { name: 'x' } })).toThrow(
      'volume "two" needs exactly one source (emptyDir, secret, configMap, persistentVolumeClaim, projected), got emptyDir and configMap',
    );
    expect(() => task.addVolume({ name: 'tmp', emptyDir: {} })).toThrow('[test/task] volume "tmp" is declared twice');
    // the near case: several ConfigMaps projected into one directory are one source
    expect(() =>
      task.addVolume({ name: 'parts', projected: { sources: [{ configMap: { name: 'a' } }, { configMap: { name: 'b' } }] } }),
    ).not.toThrow();
  });

  test('steps added after construction land in the spec (the spec is rendered lazily)', () => {
    const chart = Testing.chart();
    const task = new Task(chart, 'task', { steps: [{ name: 'first', image: 'busybox', script: 'true' }] });
    task.addStep({ name: 'second', image: 'busybox', script: 'true' });
    const [object] = Testing.synth(chart);
    expect(object.spec.steps.map((s: { name: string }) => s.name)).toEqual(['first', 'second']);
  });

  test('the L1 is the generated tekton.dev/v1 Task, made with id Resource; the name defaults to a generated one', () => {
    const chart = Testing.chart();
    const task = new Task(chart, 'clone', { steps: [{ name: 'a', image: 'busybox', script: 'true' }] });
    expect(task.apiObject.node.id).toBe('Resource');
    expect(task.apiObject.apiVersion).toBe('tekton.dev/v1');
    expect(task.name).toMatch(/^test-clone-[0-9a-f]{8}$/);
    expect(task.reference()).toEqual({ taskRef: { name: task.name } });
  });

  test('a duplicate step name throws at once, naming the construct', () => {
    const chart = Testing.chart();
    const task = new Task(chart, 'task', { steps: [{ name: 'build', image: 'busybox', script: 'true' }] });
    expect(() => task.addStep({ name: 'build', image: 'busybox', script: 'true' })).toThrow(
      '[test/task] step "build" is declared twice: step names must be unique in a task',
    );
    expect(() => task.addStep({ name: 'build-2', image: 'busybox', script: 'true' })).not.toThrow();
  });

  test('a duplicate sidecar name throws at once', () => {
    const task = new Task(Testing.chart(), 'task', { sidecars: [{ name: 'db', image: 'postgres' }] });
    expect(() => task.addSidecar({ name: 'db', image: 'postgres' })).toThrow('sidecar "db" is declared twice');
  });

  test('a timeout that is not a go duration throws at once', () => {
    const task = new Task(Testing.chart(), 'task', {});
    expect(() => task.addStep({ name: 's', image: 'busybox', script: 'true', timeout: '1 hour' })).toThrow(
      '[test/task] step "s" timeout "1 hour" is not a go duration (e.g. "1h30m", "45s", "0" for none)',
    );
    expect(() => task.addStep({ name: 't', image: 'busybox', script: 'true', timeout: '1h0m30s' })).not.toThrow();
  });

  test('an embedded Task renders no object of its own', () => {
    const chart = Testing.chart();
    const embedded = new EmbeddedTask(chart, 'inline', {
      params: { x: {} },
      steps: [{ name: 'a', image: 'busybox', script: 'echo $(params.x)' }],
    });
    expect(Testing.synth(chart)).toEqual([]);
    expect(embedded.reference()).toEqual({
      taskSpec: { params: [{ name: 'x', type: 'string' }], steps: [{ name: 'a', image: 'busybox', script: 'echo $(params.x)' }] },
    });
    expect(embedded.documentForCheck()).toBeUndefined();
  });
});
