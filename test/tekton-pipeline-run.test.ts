import { Duration, Testing } from 'cdk8s';
import { ClusterResolvedPipeline, EmbeddedPipeline, EmbeddedTask, Pipeline, PipelineRun, Task, WorkspaceBinding } from '../src/tekton';
import { checkDocuments } from '../src/check';
import { crdSchemaSkipReason, schemaProblemsWithEmbeddedSpecs } from './support/crd-schema';

const schemaReason = crdSchemaSkipReason();
if (schemaReason) console.log(schemaReason);

/** Every object, and every spec embedded in it, must pass the v1.15.0 CRD schema with nothing pruned. */
function expectSchemaClean(objects: unknown[]) {
  if (schemaReason) return;
  expect(schemaProblemsWithEmbeddedSpecs(objects)).toBe('');
}

function fixture() {
  const chart = Testing.chart();
  const task = new Task(chart, 'task', {
    metadata: { name: 'work' },
    params: { model: {}, source: { type: 'object', properties: { url: {}, revision: {} } }, tags: { type: 'array' } },
    workspaces: { data: {}, creds: { optional: true }, config: { optional: true }, scratch: { optional: true }, claim: { optional: true } },
    steps: [{ name: 'work', image: 'busybox', script: 'true' }],
  });
  const pipeline = new Pipeline(chart, 'pipeline', {
    metadata: { name: 'train' },
    params: {
      model: { enum: ['a.keras', 'b.pth'], default: 'a.keras' },
      source: { type: 'object', properties: { url: {}, revision: {} } },
      tags: { type: 'array', default: [] },
    },
    workspaces: { data: {}, creds: { optional: true }, config: { optional: true }, scratch: { optional: true }, claim: { optional: true } },
  });
  const work = pipeline.addTask('work', task, {
    params: { model: pipeline.params.model, source: pipeline.params.source, tags: pipeline.params.tags },
    workspaces: {
      data: pipeline.workspaces.data,
      creds: pipeline.workspaces.creds,
      config: pipeline.workspaces.config,
      scratch: pipeline.workspaces.scratch,
      claim: pipeline.workspaces.claim,
    },
  });
  return { chart, pipeline, work };
}

describe('PipelineRun', () => {
  test('renders pipelineRef, params of every type, generateName without a name', () => {
    const { chart, pipeline } = fixture();
    new PipelineRun(chart, 'run', {
      metadata: { generateName: 'train-' },
      pipeline,
      params: { model: 'b.pth', source: { url: 'https://example.com/m.git', revision: 'abc' }, tags: ['x', 'y'] },
      workspaces: {
        data: WorkspaceBinding.volumeClaimTemplate({ storage: '5Gi', storageClassName: 'standard-rwo', accessModes: ['ReadWriteOnce'] }),
      },
    });
    const objects = Testing.synth(chart);
    const run = objects.find((o) => o.kind === 'PipelineRun');
    expect(run.metadata).toEqual({ generateName: 'train-' });
    expect(run.spec).toEqual({
      pipelineRef: { name: 'train' },
      params: [
        { name: 'model', value: 'b.pth' },
        { name: 'source', value: { url: 'https://example.com/m.git', revision: 'abc' } },
        { name: 'tags', value: ['x', 'y'] },
      ],
      workspaces: [
        {
          name: 'data',
          volumeClaimTemplate: {
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } }, storageClassName: 'standard-rwo' },
          },
        },
      ],
    });
    expectSchemaClean(objects);
  });

  test('renders every workspace binding kind, with subPath', () => {
    const { chart, pipeline } = fixture();
    new PipelineRun(chart, 'run', {
      metadata: { name: 'train-1' },
      pipeline,
      params: { source: { url: 'u', revision: 'r' } },
      workspaces: {
        data: WorkspaceBinding.persistentVolumeClaim('models', { readOnly: false }).withSubPath('run-1'),
        creds: WorkspaceBinding.secret('git-credentials', { items: [{ key: 'token', path: 'token' }], defaultMode: 0o400 }),
        config: WorkspaceBinding.configMap('settings'),
        scratch: WorkspaceBinding.emptyDir({ medium: 'Memory', sizeLimit: '256Mi' }),
        claim: WorkspaceBinding.emptyDir(),
      },
    });
    const objects = Testing.synth(chart);
    const run = objects.find((o) => o.kind === 'PipelineRun');
    expect(run.metadata.name).toBe('train-1');
    expect(run.spec.workspaces).toEqual([
      { name: 'data', subPath: 'run-1', persistentVolumeClaim: { claimName: 'models', readOnly: false } },
      { name: 'creds', secret: { secretName: 'git-credentials', items: [{ key: 'token', path: 'token' }], defaultMode: 256 } },
      { name: 'config', configMap: { name: 'settings' } },
      { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } },
      { name: 'claim', emptyDir: {} },
    ]);
    expectSchemaClean(objects);
  });

  test('renders a projected binding (ConfigMaps, a Secret, a passed-through source) that check accepts', () => {
    const { chart, pipeline } = fixture();
    new PipelineRun(chart, 'run', {
      metadata: { name: 'train-1' },
      pipeline,
      params: { source: { url: 'u', revision: 'r' } },
      workspaces: {
        data: WorkspaceBinding.emptyDir(),
        config: WorkspaceBinding.projected(
          [
            { configMap: { name: 'verifier', optional: true } },
            { configMap: { name: 'verifier-2', optional: true } },
            { configMap: { name: 'trusted-root', items: [{ key: 'trusted_root.json', path: 'root/trusted_root.json' }], optional: true } },
            { secret: { name: 'key', items: [{ key: 'k', path: 'k', mode: 0o400 }] } },
            { downwardApi: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
          ],
          { defaultMode: 0o444 },
        ),
      },
    });
    const objects = Testing.synth(chart);
    const run = objects.find((o) => o.kind === 'PipelineRun');
    expect(run.spec.workspaces[1]).toEqual({
      name: 'config',
      projected: {
        defaultMode: 292,
        sources: [
          { configMap: { name: 'verifier', optional: true } },
          { configMap: { name: 'verifier-2', optional: true } },
          { configMap: { name: 'trusted-root', items: [{ key: 'trusted_root.json', path: 'root/trusted_root.json' }], optional: true } },
          { secret: { name: 'key', items: [{ key: 'k', path: 'k', mode: 256 }] } },
          { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
        ],
      },
    });
    expect(checkDocuments(objects)).toEqual([]);
    expectSchemaClean(objects);
  });

  test('a projected binding with no sources, or a source with two fields, is refused at once', () => {
    expect(() => WorkspaceBinding.projected([])).toThrow('projected workspace binding needs at least one source');
    expect(() => WorkspaceBinding.projected([{ configMap: { name: 'a' } }, { configMap: { name: 'b' }, secret: { name: 'c' } }])).toThrow(
      'projected workspace binding: sources[1] needs exactly one of clusterTrustBundle, configMap, downwardApi, podCertificate, secret, serviceAccountToken, got configMap and secret',
    );
  });

  test('renders taskRunTemplate (service account, pod template with fsGroup) and timeouts', () => {
    const { chart, pipeline } = fixture();
    new PipelineRun(chart, 'run', {
      metadata: { generateName: 'train-' },
      pipeline,
      params: { source: { url: 'u', revision: 'r' } },
      workspaces: { data: WorkspaceBinding.emptyDir() },
      taskRunTemplate: {
        serviceAccountName: 'model-trainer',
        podTemplate: {
          securityContext: { fsGroup: 65532, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          nodeSelector: { 'cloud.google.com/gke-nodepool': 'train' },
        },
      },
      timeouts: { pipeline: Duration.hours(3), tasks: '2h30m', finally: Duration.minutes(20) },
    });
    const objects = Testing.synth(chart);
    const run = objects.find((o) => o.kind === 'PipelineRun');
    expect(run.spec.taskRunTemplate).toEqual({
      serviceAccountName: 'model-trainer',
      podTemplate: {
        securityContext: { fsGroup: 65532, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        nodeSelector: { 'cloud.google.com/gke-nodepool': 'train' },
      },
    });
    expect(run.spec.timeouts).toEqual({ pipeline: '3h0m0s', tasks: '2h30m', finally: '20m0s' });
    expectSchemaClean(objects);
  });

  test('renders taskRunSpecs for single pipeline tasks', () => {
    const { chart, pipeline, work } = fixture();
    new PipelineRun(chart, 'run', {
      metadata: { name: 'r' },
      pipeline,
      params: { source: { url: 'u', revision: 'r' } },
      workspaces: { data: WorkspaceBinding.emptyDir() },
      taskRunSpecs: [
        {
          pipelineTask: work,
          serviceAccountName: 'uploader',
          podTemplate: { nodeSelector: { pool: 'gpu' } },
          stepSpecs: { work: { requests: { memory: '4Gi' } } },
          metadata: { labels: { team: 'ml' } },
          timeout: Duration.minutes(45),
        },
      ],
    });
    const run = Testing.synth(chart).find((o) => o.kind === 'PipelineRun');
    expect(run.spec.taskRunSpecs).toEqual([
      {
        pipelineTaskName: 'work',
        serviceAccountName: 'uploader',
        podTemplate: { nodeSelector: { pool: 'gpu' } },
        stepSpecs: [{ name: 'work', computeResources: { requests: { memory: '4Gi' } } }],
        metadata: { labels: { team: 'ml' } },
        timeout: '45m0s',
      },
    ]);
    expectSchemaClean([run]);
    // by name, with whole-TaskRun compute resources
    const byName = fixture();
    new PipelineRun(byName.chart, 'run', {
      pipeline: byName.pipeline,
      params: { source: { url: 'u', revision: 'r' } },
      workspaces: { data: WorkspaceBinding.emptyDir() },
      taskRunSpecs: [{ pipelineTask: 'work', computeResources: { limits: { cpu: '2' } } }],
    });
    const run2 = Testing.synth(byName.chart).find((o) => o.kind === 'PipelineRun');
    expect(run2.spec.taskRunSpecs).toEqual([{ pipelineTaskName: 'work', computeResources: { limits: { cpu: '2' } } }]);
  });

  test('through the cluster resolver: kind, name and namespace; judged at synth as a run of that Pipeline', () => {
    const { chart, pipeline } = fixture();
    const viaCluster = new ClusterResolvedPipeline(chart, 'ref', { pipeline, namespace: '{{ target_namespace }}' });
    const good = new PipelineRun(chart, 'run', {
      pipeline: viaCluster,
      params: { source: { url: 'u', revision: 'r' } },
      workspaces: { data: WorkspaceBinding.emptyDir() },
    });
    const run = Testing.synth(chart).find((o) => o.kind === 'PipelineRun');
    expect(run.spec.pipelineRef).toEqual({
      resolver: 'cluster',
      params: [
        { name: 'kind', value: 'pipeline' },
        { name: 'name', value: 'train' },
        { name: 'namespace', value: '{{ target_namespace }}' },
      ],
    });
    expectSchemaClean([run]);
    expect(good.findings()).toEqual([]);
    // the rules see the Pipeline: a value outside the param's enum is an error, as for a run by name
    const bad = fixture();
    const badRun = new PipelineRun(bad.chart, 'run', {
      pipeline: new ClusterResolvedPipeline(bad.chart, 'ref', { pipeline: bad.pipeline, namespace: 'ml' }),
      params: { model: 'c.onnx' as never, source: { url: 'u', revision: 'r' } },
      workspaces: { data: WorkspaceBinding.emptyDir() },
    });
    expect(badRun.findings().map((f) => `${f.severity} ${f.rule}`)).toContain('error param-value-not-in-enum');
    expect(() => new ClusterResolvedPipeline(bad.chart, 'empty', { pipeline: bad.pipeline, namespace: ' ' })).toThrow(
      /namespace is empty; the cluster resolver would read its default-namespace setting/,
    );
  });

  test('a timeout that is not a go duration throws at once', () => {
    const { chart, pipeline } = fixture();
    expect(
      () =>
        new PipelineRun(chart, 'run', {
          pipeline,
          params: { source: { url: 'u', revision: 'r' } },
          workspaces: { data: WorkspaceBinding.emptyDir() },
          timeouts: { pipeline: '3 hours' },
        }),
    ).toThrow('timeouts.pipeline "3 hours" is not a go duration');
  });

  test('embeds an EmbeddedPipeline as pipelineSpec, with its embedded tasks', () => {
    const chart = Testing.chart();
    const echo = new EmbeddedTask(chart, 'echo', {
      params: { msg: {} },
      steps: [{ name: 'echo', image: 'busybox', script: 'echo "$(params.msg)"' }],
    });
    const embedded = new EmbeddedPipeline(chart, 'hello', {
      params: { greeting: { default: 'hi' } },
      workspaces: { tmp: { optional: true } },
    });
    embedded.addTask('say', echo, { params: { msg: embedded.params.greeting } });
    new PipelineRun(chart, 'run', { metadata: { name: 'hello-run' }, pipeline: embedded, params: { greeting: 'hello' } });
    const objects = Testing.synth(chart);
    expect(objects).toHaveLength(1);
    expect(objects[0].spec).toEqual({
      params: [{ name: 'greeting', value: 'hello' }],
      pipelineSpec: {
        params: [{ name: 'greeting', type: 'string', default: 'hi' }],
        workspaces: [{ name: 'tmp', optional: true }],
        tasks: [
          {
            name: 'say',
            params: [{ name: 'msg', value: '$(params.greeting)' }],
            taskSpec: {
              params: [{ name: 'msg', type: 'string' }],
              steps: [{ name: 'echo', image: 'busybox', script: 'echo "$(params.msg)"' }],
            },
          },
        ],
      },
    });
    expectSchemaClean(objects);
  });
});
