/**
 * Accelerators, long runs and resources of the model pipeline: what a GPU or TPU run renders (only the
 * training step asks for the device), the run's timeouts, the training task's retries, the typed step
 * resources, and the shipped GPU run in dist/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { checkDocuments } from '../src/check';
import { Accelerator, acceleratorProblems, acceleratorScheduling, topologyChips } from '../src/models/accelerator';
import { PYTORCH_CUDA_IMAGE, PINNED_IMAGE_PATTERN } from '../src/models/images';
import { SlsaForModels, SlsaForModelsProps } from '../src/models/slsa-for-models';
import { SlsaForModelsRun, SlsaForModelsRunProps } from '../src/models/slsa-for-models-run';
import { quantityValue, stepResourcesProblems } from '../src/models/step-resources';

type RunProps = Omit<SlsaForModelsRunProps, 'pipeline' | 'serviceAccountName'>;

/** The bundle and one run in a test chart: its objects and the validation errors of every construct. */
function synth(run: RunProps = {}, models: SlsaForModelsProps = {}): { objects: any[]; errors: string[] } {
  const chart: Chart = Testing.chart();
  const bundle = new SlsaForModels(chart, 'models', models);
  new SlsaForModelsRun(chart, 'run', { pipeline: bundle.pipeline, serviceAccountName: bundle.serviceAccount.name, ...run });
  const errors = chart.node.findAll().flatMap((c) => c.node.validate());
  return { objects: errors.length ? [] : Testing.synth(chart), errors };
}

const runOf = (objects: any[]): any => objects.find((o) => o.kind === 'PipelineRun');

describe('acceleratorScheduling', () => {
  test('an NVIDIA GPU: the nvidia.com/gpu limit, the gke-accelerator node label, the nvidia.com/gpu taint', () => {
    expect(acceleratorScheduling({ kind: 'nvidia-gpu', type: 'nvidia-l4' })).toEqual({
      limits: { 'nvidia.com/gpu': '1' },
      nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    });
  });

  test('a TPU slice: google.com/tpu chips (all of the topology by default), type and topology labels, the google.com/tpu taint', () => {
    expect(acceleratorScheduling({ kind: 'tpu', type: 'tpu-v5-lite-podslice', topology: '2x4' })).toEqual({
      limits: { 'google.com/tpu': '8' },
      nodeSelector: { 'cloud.google.com/gke-tpu-accelerator': 'tpu-v5-lite-podslice', 'cloud.google.com/gke-tpu-topology': '2x4' },
      tolerations: [{ key: 'google.com/tpu', operator: 'Exists', effect: 'NoSchedule' }],
    });
    expect(topologyChips('2x2x1')).toBe(4);
  });

  test('Spot adds its node label and toleration; no accelerator and no Spot adds nothing', () => {
    expect(acceleratorScheduling(undefined, true)).toEqual({
      limits: {},
      nodeSelector: { 'cloud.google.com/gke-spot': 'true' },
      tolerations: [{ key: 'cloud.google.com/gke-spot', operator: 'Equal', value: 'true', effect: 'NoSchedule' }],
    });
    expect(acceleratorScheduling(undefined)).toEqual({ limits: {}, nodeSelector: {}, tolerations: [] });
  });
});

describe('acceleratorProblems', () => {
  test.each<[Accelerator, string]>([
    [{ kind: 'nvidia-gpu', type: 'nvidia-l4', count: 3 }, 'accelerator count 3 is not one gke attaches to a node (1, 2, 4, 8, 16)'],
    [{ kind: 'nvidia-gpu', type: 'nvidia-l40' as any }, 'accelerator type "nvidia-l40" is not a gke gpu type'],
    [
      { kind: 'tpu', type: 'tpu-v5-lite-podslice', topology: '2by2' },
      'accelerator topology "2by2" is not a tpu topology such as 2x2 or 2x2x1',
    ],
    [
      { kind: 'tpu', type: 'tpu-v5-lite-podslice', topology: '2x2', count: 5 },
      'accelerator count 5 is not between 1 and the 4 chips of topology 2x2',
    ],
    [{ kind: 'tpu', type: 'tpu-v9' as any, topology: '2x2' }, 'accelerator type "tpu-v9" is not a gke tpu type'],
  ])('%j is refused', (accelerator, message) => {
    expect(acceleratorProblems(accelerator).join('\n')).toContain(message);
  });

  test.each<Accelerator>([
    { kind: 'nvidia-gpu', type: 'nvidia-h100-80gb', count: 8 },
    { kind: 'nvidia-gpu', type: 'nvidia-tesla-t4' },
    { kind: 'tpu', type: 'tpu-v6e-slice', topology: '2x2', count: 4 },
    { kind: 'tpu', type: 'tpu-v4-podslice', topology: '2x2x1' },
  ])('%j is accepted', (accelerator) => {
    expect(acceleratorProblems(accelerator)).toEqual([]);
  });
});

describe('SlsaForModelsRun with an accelerator', () => {
  test('a training timeout longer than the run gives its tasks is refused at synth; within it, accepted', () => {
    const refused = synth({ trainingTimeout: '5h' }).errors;
    expect(refused).toEqual([
      expect.stringContaining('spec.taskRunSpecs[0].timeout: taskRunSpecs timeout "5h" is longer than timeouts.tasks'),
    ]);
    expect(synth({ trainingTimeout: '5h', timeouts: { pipeline: '6h', tasks: '5h50m', finally: '10m' } }).errors).toEqual([]);
  });

  test('only the training task asks: its train step gets the limit, its pod the node selector and toleration', () => {
    const { objects, errors } = synth({
      accelerator: { kind: 'nvidia-gpu', type: 'nvidia-a100-80gb', count: 2 },
      trainingTimeout: '5h',
      timeouts: { pipeline: '6h', tasks: '5h50m', finally: '10m' },
    });
    expect(errors).toEqual([]);
    expect(runOf(objects).spec.taskRunSpecs).toEqual([
      {
        pipelineTaskName: 'build-model',
        podTemplate: {
          nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-a100-80gb' },
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
        },
        stepSpecs: [{ name: 'train', computeResources: { limits: { 'nvidia.com/gpu': '2' } } }],
        timeout: '5h',
      },
    ]);
    // the Tasks themselves ask for no accelerator: the CPU run of the same Pipeline stays on CPUs
    expect(JSON.stringify(objects.filter((o) => o.kind === 'Task'))).not.toMatch(/nvidia\.com|google\.com\/tpu/);
    // the run's pod template (security context) stays: Tekton merges it with the task's
    expect(runOf(objects).spec.taskRunTemplate.podTemplate.securityContext).toMatchObject({ runAsNonRoot: true });
  });

  test('a TPU run renders the chips, both node labels and the toleration (rendered, not exercised: tiny-cnn is PyTorch on CUDA or CPU)', () => {
    const { objects, errors } = synth({ accelerator: { kind: 'tpu', type: 'tpu-v5-lite-podslice', topology: '2x2' } });
    expect(errors).toEqual([]);
    const spec = runOf(objects).spec.taskRunSpecs[0];
    expect(spec.stepSpecs).toEqual([{ name: 'train', computeResources: { limits: { 'google.com/tpu': '4' } } }]);
    expect(spec.podTemplate.nodeSelector).toEqual({
      'cloud.google.com/gke-tpu-accelerator': 'tpu-v5-lite-podslice',
      'cloud.google.com/gke-tpu-topology': '2x2',
    });
  });

  test('a bad accelerator fails the synth with one line naming it', () => {
    const { errors } = synth({ accelerator: { kind: 'nvidia-gpu', type: 'nvidia-l4', count: 3 } });
    expect(errors).toEqual(['accelerator count 3 is not one gke attaches to a node (1, 2, 4, 8, 16)']);
  });

  test('without accelerator, Spot or training timeout the run has no taskRunSpecs (the CPU default is unchanged)', () => {
    expect(runOf(synth().objects).spec.taskRunSpecs).toBeUndefined();
  });

  test('model source, tool images and training arguments become run params', () => {
    const { objects } = synth({
      modelSource: { url: 'https://example.com/r', revision: 'main', requirementsPath: 'w/requirements.txt', mainPath: 'w/train.py' },
      toolImages: {
        git: 'docker.io/a/git:1@sha256:' + 'a'.repeat(64),
        python: PYTORCH_CUDA_IMAGE,
        gcloud: 'docker.io/a/g:1@sha256:' + 'b'.repeat(64),
      },
      trainingArgs: ['--epochs', '2'],
    });
    const params = Object.fromEntries(runOf(objects).spec.params.map((p: any) => [p.name, p.value]));
    expect(params['model-source']).toEqual({
      url: 'https://example.com/r',
      revision: 'main',
      'requirements-path': 'w/requirements.txt',
      'main-path': 'w/train.py',
    });
    expect(params['tool-versions'].python).toBe(PYTORCH_CUDA_IMAGE);
    expect(params['training-args']).toEqual(['--epochs', '2']);
  });
});

describe('SlsaForModelsRun timeouts', () => {
  test('all three are explicit: pipeline, finally 10m, tasks the difference', () => {
    expect(runOf(synth({ timeouts: { pipeline: '8h' } }).objects).spec.timeouts).toEqual({
      pipeline: '8h',
      tasks: '7h50m0s',
      finally: '10m',
    });
    expect(runOf(synth({ pipelineTimeout: '3h' }).objects).spec.timeouts).toEqual({ pipeline: '3h', tasks: '2h50m0s', finally: '10m' });
  });

  test('tasks plus finally beyond the pipeline is refused; exactly the pipeline is fine', () => {
    expect(synth({ timeouts: { pipeline: '2h', tasks: '2h', finally: '1m' } }).errors).toEqual([
      'PipelineRun/slsa-for-models-* spec.timeouts.tasks: timeouts.tasks "2h" + timeouts.finally "1m" exceed timeouts.pipeline "2h"; keep their sum within it',
    ]);
    expect(synth({ timeouts: { pipeline: '2h', tasks: '1h59m', finally: '1m' } }).errors).toEqual([]);
    expect(synth({ timeouts: { pipeline: '10m' } }).errors).toEqual([
      'timeouts.finally 10m leaves no time for the tasks in timeouts.pipeline 10m',
    ]);
  });

  test('text Go would not parse is refused at once', () => {
    expect(() => synth({ timeouts: { pipeline: '2 hours' } })).toThrow(/timeouts.pipeline "2 hours" is not a go duration/);
  });
});

describe('SlsaForModelsPipeline training retries and step resources', () => {
  test('the training task retries twice by default, as configured otherwise; a negative count is refused', () => {
    const task = (objects: any[]) => objects.find((o) => o.kind === 'Pipeline').spec.tasks.find((t: any) => t.name === 'build-model');
    expect(task(synth().objects)).toMatchObject({ retries: 2, timeout: '1h30m' });
    expect(task(synth({}, { pipeline: { trainingRetries: 0, trainingTimeout: '6h' } }).objects)).toMatchObject({
      retries: 0,
      timeout: '6h',
    });
    expect(() => synth({}, { pipeline: { trainingRetries: -1 } })).toThrow(/trainingRetries -1 is not a whole number of retries/);
  });

  test('every step requests CPU, memory and node disk, and each pod fits an e2-standard-4 (3.92 CPUs, 13 GiB allocatable)', () => {
    const tasks = synth().objects.filter((o) => o.kind === 'Task');
    // clone; verify-inputs and train; upload
    expect(tasks.flatMap((t) => t.spec.steps)).toHaveLength(4);
    for (const task of tasks) {
      // a pod requests what its steps request together
      let cpu = 0;
      let memory = 0;
      for (const step of task.spec.steps) {
        const requests = step.computeResources.requests;
        expect(Object.keys(requests).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
        cpu += quantityValue(requests.cpu)!;
        memory += quantityValue(step.computeResources.limits.memory)!;
      }
      expect(cpu).toBeLessThanOrEqual(3.92);
      expect(memory).toBeLessThanOrEqual(13 * 2 ** 30);
    }
  });

  test('typed resources render with Kubernetes names; a request above its limit or a bad quantity fails the synth', () => {
    const { objects } = synth(
      {},
      { pipeline: { trainingResources: { requests: { cpu: '3', memory: '8Gi', ephemeralStorage: '20Gi' }, limits: { memory: '8Gi' } } } },
    );
    const train = objects.find((o) => o.metadata.name === 'slsa-for-models-train-model').spec.steps.find((s: any) => s.name === 'train');
    expect(train.computeResources).toEqual({
      requests: { cpu: '3', memory: '8Gi', 'ephemeral-storage': '20Gi' },
      limits: { memory: '8Gi' },
    });
    expect(synth({}, { pipeline: { trainingResources: { requests: { memory: '8Gi' }, limits: { memory: '6Gi' } } } }).errors).toEqual([
      'Task/slsa-for-models-train-model spec.steps[1].computeResources.requests.memory: step requests memory "8Gi", more than the step limit "6Gi"; Tekton fails the run, so request at most the limit',
    ]);
    expect(stepResourcesProblems({ requests: { cpu: 'two' } }, 'step "x"')).toEqual([
      'step "x" requests.cpu "two" is not a kubernetes quantity (e.g. "500m", "2", "6Gi")',
    ]);
    expect(stepResourcesProblems({ requests: { cpu: '500m' }, limits: { cpu: '0.5' } }, 'step "x"')).toEqual([]);
  });
});

describe('dist/runs/tiny-cnn-gpu.yaml', () => {
  const file = path.join(__dirname, '..', 'dist', 'runs', 'tiny-cnn-gpu.yaml');
  const haveIt = fs.existsSync(file);
  if (!haveIt) console.log('skipping: dist/runs/tiny-cnn-gpu.yaml is not synthesized yet');
  (haveIt ? test : test.skip)(
    'trains tiny-cnn on one L4 (Spot) in the pinned PyTorch CUDA image; only build-model asks for the GPU; it passes check with the installed objects',
    () => {
      const run = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS())[0];
      const params = Object.fromEntries(run.spec.params.map((p: any) => [p.name, p.value]));
      expect(params['tool-versions'].python).toBe(PYTORCH_CUDA_IMAGE);
      expect(PYTORCH_CUDA_IMAGE).toMatch(PINNED_IMAGE_PATTERN);
      expect(params['model-source']).toMatchObject({
        'main-path': 'workloads/tiny-cnn/train.py',
        'requirements-path': 'workloads/tiny-cnn/requirements.txt',
      });
      expect(params['training-args']).toEqual(expect.arrayContaining(['--device', 'cuda']));
      expect(run.spec.taskRunSpecs.map((s: any) => s.pipelineTaskName)).toEqual(['build-model']);
      expect(run.spec.taskRunSpecs[0].stepSpecs).toEqual([{ name: 'train', computeResources: { limits: { 'nvidia.com/gpu': '1' } } }]);
      expect(run.spec.timeouts).toEqual({ pipeline: '12h', tasks: '11h50m', finally: '10m' });
      const installed = parseAllDocuments(fs.readFileSync(path.join(__dirname, '..', 'dist', 'slsa-for-models.yaml'), 'utf8')).map((d) =>
        d.toJS(),
      );
      const flags = installed.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'feature-flags').data;
      expect(checkDocuments([...installed, run], { featureFlags: flags }).filter((f) => f.severity !== 'note')).toEqual([]);
    },
  );
});

describe('SlsaForModelsRun checkpointBucket', () => {
  test("binds the optional checkpoints workspace to the bucket through GKE's Cloud Storage FUSE driver, for the training pod only", () => {
    const { objects, errors } = synth({ checkpointBucket: 'my-checkpoints' });
    expect(errors).toEqual([]);
    const run = runOf(objects);
    expect(run.spec.workspaces).toContainEqual({
      name: 'checkpoints',
      csi: {
        driver: 'gcsfuse.csi.storage.gke.io',
        volumeAttributes: { bucketName: 'my-checkpoints', mountOptions: 'implicit-dirs,uid=65532,gid=65532' },
      },
    });
    expect(run.spec.taskRunSpecs).toEqual([
      { pipelineTaskName: 'build-model', metadata: { annotations: { 'gke-gcsfuse/volumes': 'true' } } },
    ]);
    const pipeline = objects.find((o) => o.kind === 'Pipeline');
    expect(pipeline.spec.workspaces).toContainEqual(expect.objectContaining({ name: 'checkpoints', optional: true }));
    // only the training task mounts it
    const bound = pipeline.spec.tasks
      .filter((t: any) => (t.workspaces ?? []).some((w: any) => w.workspace === 'checkpoints'))
      .map((t: any) => t.name);
    expect(bound).toEqual(['build-model']);
    // and Tekton would accept it (csi workspaces are beta; dist/ runs with enable-api-fields: beta)
    const flags = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'feature-flags').data;
    expect(checkDocuments(objects, { featureFlags: flags }).filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('a gs:// address is not a bucket name; without a bucket the workspace stays unbound', () => {
    expect(synth({ checkpointBucket: 'gs://my-checkpoints' }).errors).toEqual([
      'checkpoint bucket "gs://my-checkpoints" is not a cloud storage bucket name (3-63 lowercase letters, digits, dashes, underscores and dots; no gs:// prefix)',
    ]);
    expect(runOf(synth().objects).spec.workspaces.map((w: any) => w.name)).toEqual(['shared', 'train-inputs-verifier']);
  });
});
